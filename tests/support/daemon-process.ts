// `kiosk daemon` in its own process, as an operator runs it, and the built CLI beside it.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { io as connect, type Socket } from 'socket.io-client';

export const CLI = new URL('../../bin/kiosk.js', import.meta.url).pathname;

export interface DaemonProcess {
  child: ChildProcess;
  url: string;
  /** Everything the daemon wrote to stderr so far. */
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Start `kiosk daemon` on a free port; resolves once it listens. Standalone, no printer, unless env says otherwise. */
export function startDaemonProcess(dataDir: string, env: Record<string, string> = {}): Promise<DaemonProcess> {
  const child = spawn(process.execPath, [CLI, 'daemon'], {
    env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', KIOSK_UPSTREAM: 'none', KIOSK_PRINTER: 'none', KIOSK_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', process.env['KIOSK_TEST_DAEMON_STDOUT'] ? 'inherit' : 'ignore', 'pipe'],
  });
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) {
        resolve({
          child,
          url: m[1]!,
          stderr: () => err,
          stop: (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`daemon exited ${code}: ${err}`)));
  });
}

/** Run the built CLI to completion. */
export function runCli(args: string[], opts: { env?: Record<string, string>; input?: string; timeout?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...opts.env }, input: opts.input, encoding: 'utf8', timeout: opts.timeout ?? 60_000 });
}

/** A /kiosk screen socket on the daemon (loopback, no credentials). */
export async function kioskSocket(url: string): Promise<Socket> {
  const socket = connect(`${url}/kiosk`, { transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('connect_error', reject));
  return socket;
}
