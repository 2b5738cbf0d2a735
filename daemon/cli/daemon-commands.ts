// `kiosk daemon` (what `npm start` runs) and `kiosk demo-codes`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import QRCode from 'qrcode';
import { loadConfig } from '../config.js';
import { Daemon } from '../controller.js';
import { demoCodes, loadOrCreateDemoKey } from '../demo/demo-data.js';
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

  withCommonOptions(program.command('demo-codes'))
    .description('write the demo QR codes (PNG) and their text, signed by this data directory\'s demo key')
    .option('--out <dir>', 'where to write them', 'demo-codes')
    .action(async (opts: CommonOptions & { out: string }) => {
      const config = resolveConfig(opts);
      mkdirSync(config.dataDir, { recursive: true });
      mkdirSync(opts.out, { recursive: true });
      const codes = demoCodes(loadOrCreateDemoKey(config.dataDir), new Date());
      const index: string[] = [];
      for (const [i, code] of codes.entries()) {
        const file = `${String(i + 1).padStart(2, '0')}.png`;
        await QRCode.toFile(join(opts.out, file), code.text, { errorCorrectionLevel: 'M', margin: 2, width: 320 });
        index.push(`${file}\t${code.label}\t${code.text}`);
      }
      writeFileSync(join(opts.out, 'codes.tsv'), index.join('\n') + '\n');
      process.stderr.write(`wrote ${codes.length} demo codes to ${opts.out} (start the daemon with the same --data to accept them)\n`);
    });
}
