// The real daemon (daemon/controller.ts) on a loopback port with demo defaults, a fresh data
// directory and, optionally, a virtual ESC/POS printer the test can switch to paper-out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../daemon/config.js';
import { Daemon } from '../../daemon/controller.js';
import { VirtualPrinter } from '../../drivers/printer/virtual-printer.js';
import type { DemoCode } from '../../kiosk-ui/src/data/demo-codes.js';
import { UI_DIR } from './fake-daemon.js';

export interface RealDaemon {
  /** The running daemon (a new one after `up()`). */
  readonly daemon: Daemon;
  url: string;
  printer: VirtualPrinter | null;
  /** The demo codes the daemon offers, by label. */
  code(labelPart: string): Promise<string>;
  /** Stop the daemon, keeping its data directory and port (screens see it go away). */
  down(): Promise<void>;
  /** Start it again on the same port and data (screens reconnect by themselves). */
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRealDaemon(opts: { mode?: 'kiosk' | 'counter'; ownPrinter?: boolean; beforeStart?: (p: VirtualPrinter) => void; env?: Record<string, string> } = {}): Promise<RealDaemon> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-ui-daemon-'));
  let printer: VirtualPrinter | null = null;
  const env: Record<string, string> = { KIOSK_DATA_DIR: dir, KIOSK_PORT: '0', KIOSK_HOST: '127.0.0.1', KIOSK_LOG_LEVEL: 'silent', KIOSK_DEVICE_ID: 'ui-test' };
  if (opts.mode) env['KIOSK_MODE'] = opts.mode;
  Object.assign(env, opts.env ?? {});
  if (opts.ownPrinter) {
    printer = new VirtualPrinter({ host: '127.0.0.1', port: 0, type: 'epson' });
    env['KIOSK_PRINTER'] = `tcp://127.0.0.1:${(await printer.start()).port}`;
    opts.beforeStart?.(printer);
  }
  const quiet = new Writable({ write: (_c, _e, cb) => cb() });
  let daemon: Daemon;
  try {
    daemon = await Daemon.start(loadConfig(env), { uiDir: UI_DIR, logDestination: quiet });
  } catch (e) {
    await printer?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  let codes: DemoCode[] | undefined;
  let running = true;
  return {
    get daemon() {
      return daemon;
    },
    url: daemon.url,
    printer,
    async down() {
      await daemon.stop();
      running = false;
    },
    async up() {
      env['KIOSK_PORT'] = new URL(daemon.url).port;
      daemon = await Daemon.start(loadConfig(env), { uiDir: UI_DIR, logDestination: quiet });
      running = true;
    },
    async code(labelPart) {
      codes ??= (await (await fetch(`${daemon.url}/api/demo/codes`)).json()) as DemoCode[];
      const c = codes.find((x) => x.label.includes(labelPart));
      if (!c) throw new Error(`no demo code labelled "${labelPart}" in ${codes.map((x) => x.label).join(' | ')}`);
      return c.text;
    },
    async stop() {
      if (running) await daemon.stop();
      await printer?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
