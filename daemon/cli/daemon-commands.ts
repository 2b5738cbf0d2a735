// `kiosk daemon` (what `npm start` runs) and `kiosk demo-codes`.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import QRCode from 'qrcode';
import { loadConfig } from '../config.js';
import { Daemon } from '../controller.js';
import { demoCodes } from '../demo/demo-data.js';
import { DEMO_HUB_DIR } from '../demo/demo-hub.js';
import { DEMO_OFFICE_CODE, DEMO_STAFF, startDemoOffice } from '../demo/demo-office.js';
import { createLogger } from '../logger.js';
import { KioskError } from '../errors.js';
import { openHubStore } from '../../sync/hub/index.js';
import { startWatchdog, SystemdNotifier } from '../systemd/notify.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from './context.js';

export function registerDaemonCommands(program: Command): void {
  withCommonOptions(program.command('daemon'))
    .description('run the kiosk daemon (demo defaults for whatever is not configured)')
    .action(async (opts: CommonOptions) => {
      const config = { ...loadConfig(), ...(opts.data ? { dataDir: opts.data } : {}) };
      mkdirSync(config.dataDir, { recursive: true });
      const daemon = await Daemon.start(config);
      // Log the last words as JSON before dying; systemd restarts the service.
      const fatal = (kind: string) => (error: unknown) => {
        daemon.ctx.logger.fatal({ err: error }, kind);
        process.exit(1);
      };
      process.on('uncaughtException', fatal('uncaught exception'));
      process.on('unhandledRejection', fatal('unhandled rejection'));
      process.stderr.write(`kiosk: listening on ${daemon.url} (office ${config.office}, ${config.mode} mode)\n`);
      // systemd (Type=notify): READY=1 once serving, WATCHDOG=1 only while healthy, STOPPING=1 on the way out.
      const notifyLog = (message: string, error?: unknown) => daemon.ctx.logger.warn({ err: error }, message);
      const notifier = SystemdNotifier.fromEnv(process.env, { logger: notifyLog });
      notifier?.ready(`serving ${daemon.url}, office ${config.office}`);
      const interval = notifier?.watchdogIntervalMs();
      const watchdog = notifier && interval ? startWatchdog(notifier, () => daemon.health().ok, interval, { logger: notifyLog }) : null;
      await new Promise<void>((resolve) => {
        const shutdown = (signal: string) => {
          daemon.ctx.logger.info({ signal }, 'shutting down');
          notifier?.stopping();
          watchdog?.stop();
          daemon
            .stop()
            .finally(() => notifier?.close())
            .then(resolve, resolve);
        };
        process.once('SIGTERM', () => shutdown('SIGTERM'));
        process.once('SIGINT', () => shutdown('SIGINT'));
      });
    });

  program
    .command('demo-office')
    .description('a whole demo office on this machine: one hub, 2 kiosks, 2 counters and a call display, each its own daemon on its own port')
    .option('--data <dir>', 'where the hub and the stations keep their data', './var/demo-office')
    .option('--port <port>', 'the first station’s port; the others follow', '8081')
    .action(async (opts: { data: string; port: string }) => {
      const basePort = Number(opts.port);
      if (!Number.isInteger(basePort) || basePort < 1 || basePort > 65530) throw new KioskError('--port: a port number from 1 to 65530', 'USAGE');
      const office = await startDemoOffice({ dataDir: opts.data, basePort, cli: process.argv[1]!, logger: createLogger('warn') });
      const lines = office.stations.map((s) => `  ${s.id.padEnd(10)} ${s.url}${s.screen}`);
      process.stderr.write(
        `kiosk: demo office ${DEMO_OFFICE_CODE} (hub ${office.hubUrl}):\n${lines.join('\n')}\n` +
          `  staff ${DEMO_STAFF.id}, PIN ${DEMO_STAFF.pin}; codes to scan (type them at a kiosk): ${office.codesFile}\nCtrl-C stops them all.\n`,
      );
      await new Promise<void>((resolve) => {
        const shutdown = () => void office.stop().then(resolve, resolve);
        process.once('SIGTERM', shutdown);
        process.once('SIGINT', shutdown);
      });
    });

  withCommonOptions(program.command('demo-codes'))
    .description("write the demo's QR codes (PNG) and their text, signed by the demo hub's key (the demo only)")
    .option('--out <dir>', 'where to write them', 'demo-codes')
    .action(async (opts: CommonOptions & { out: string }) => {
      const config = resolveConfig(opts);
      if (config.upstream !== undefined) throw new KioskError('demo-codes is for the demo only: KIOSK_UPSTREAM is set, so this is not the demo', 'USAGE');
      const hubDir = join(config.dataDir, DEMO_HUB_DIR);
      if (!existsSync(hubDir)) throw new KioskError(`no demo in ${config.dataDir}: start it first (npm start, or kiosk daemon --data ${config.dataDir})`, 'USAGE');
      const store = await openHubStore({ dataDir: hubDir });
      try {
        const codes = await demoCodes((input) => store.mint(input), new Date());
        mkdirSync(opts.out, { recursive: true });
        const index: string[] = [];
        for (const [i, code] of codes.entries()) {
          const file = `${String(i + 1).padStart(2, '0')}.png`;
          await QRCode.toFile(join(opts.out, file), code.text, { errorCorrectionLevel: 'M', margin: 2, width: 320 });
          index.push(`${file}\t${code.label}\t${code.text}`);
        }
        writeFileSync(join(opts.out, 'codes.tsv'), index.join('\n') + '\n');
        process.stderr.write(`wrote ${codes.length} demo codes to ${opts.out} (the demo daemon on the same --data accepts them)\n`);
      } finally {
        await store.close();
      }
    });
}
