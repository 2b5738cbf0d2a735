// sd_notify over a real AF_UNIX datagram socket (unix-dgram), as systemd's /run/systemd/notify
// would receive it: the exact datagrams, the watchdog's health gate, WATCHDOG_USEC parsing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWatchdog, SystemdNotifier } from '../daemon/systemd/notify.js';
import { createUnixDgramSocket, type UnixDgramSocket } from '../daemon/systemd/unix-dgram.js';

let dir: string;
let socketPath: string;
let receiver: UnixDgramSocket | null;
let datagrams: string[];
let logged: string[];
const logger = (message: string): void => {
  logged.push(message);
};

function bindReceiver(path: string): UnixDgramSocket {
  const socket = createUnixDgramSocket((buf) => datagrams.push(buf.toString('utf8')));
  let error: Error | undefined;
  socket.once('error', (e) => (error = e));
  socket.bind(path); // synchronous: 'listening' or 'error' has fired by now
  if (error) throw error;
  return socket;
}

async function waitFor(cond: () => boolean, ms = 2000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; datagrams: ${JSON.stringify(datagrams)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-notify-'));
  socketPath = join(dir, 'notify');
  datagrams = [];
  logged = [];
  receiver = bindReceiver(socketPath);
});

afterEach(() => {
  receiver?.close();
  receiver = null;
  rmSync(dir, { recursive: true, force: true });
});

function notifier(extra: NodeJS.ProcessEnv = {}): SystemdNotifier {
  const n = SystemdNotifier.fromEnv({ NOTIFY_SOCKET: socketPath, ...extra }, { logger });
  if (!n) throw new Error('expected a notifier');
  return n;
}

describe('SystemdNotifier over a real unix datagram socket', () => {
  it('sends READY, STATUS and STOPPING as exact datagrams', async () => {
    const n = notifier();
    n.ready();
    n.ready('serving on 127.0.0.1:8080');
    n.status('キャッシュ 3 分前\nREADY=1'); // a line break must not smuggle in an assignment
    n.stopping();
    await waitFor(() => datagrams.length === 4, 2000, 'four datagrams');
    expect(datagrams).toEqual([
      'READY=1',
      'READY=1\nSTATUS=serving on 127.0.0.1:8080',
      'STATUS=キャッシュ 3 分前 READY=1',
      'STOPPING=1',
    ]);
    expect(logged).toEqual([]);
  });

  it('sends nothing after close()', async () => {
    const n = notifier();
    n.watchdog();
    n.close();
    n.watchdog();
    n.ready();
    expect(n.notify('STATUS=late')).toBe(false);
    await waitFor(() => datagrams.length === 1);
    await sleep(30);
    expect(datagrams).toEqual(['WATCHDOG=1']);
  });

  it('never throws when the socket is gone or nobody listens; it logs instead', () => {
    receiver?.close(); // the socket file stays: ECONNREFUSED
    receiver = null;
    const refused = notifier();
    expect(() => refused.ready('x')).not.toThrow();
    expect(refused.notify('WATCHDOG=1')).toBe(false);
    rmSync(socketPath);
    const missing = notifier();
    expect(() => missing.stopping()).not.toThrow();
    expect(logged.length).toBe(3);
    expect(logged.every((m) => m.includes(socketPath))).toBe(true);
  });

  it('returns null without NOTIFY_SOCKET, and for addresses unix-dgram cannot reach', () => {
    expect(SystemdNotifier.fromEnv({})).toBeNull();
    expect(SystemdNotifier.fromEnv({ NOTIFY_SOCKET: '' })).toBeNull();
    expect(SystemdNotifier.fromEnv({ NOTIFY_SOCKET: '@/org/freedesktop/systemd1/notify' }, { logger })).toBeNull();
    expect(SystemdNotifier.fromEnv({ NOTIFY_SOCKET: 'run/notify' }, { logger })).toBeNull();
    expect(SystemdNotifier.fromEnv({ NOTIFY_SOCKET: `/tmp/${'x'.repeat(120)}` }, { logger })).toBeNull();
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatch(/abstract/);
    expect(SystemdNotifier.fromEnv({ NOTIFY_SOCKET: '/run/systemd/notify' })?.socketPath).toBe('/run/systemd/notify');
  });
});

describe('watchdogIntervalMs', () => {
  const interval = (env: NodeJS.ProcessEnv) => notifier(env).watchdogIntervalMs();

  it('is half of WATCHDOG_USEC in ms', () => {
    expect(interval({ WATCHDOG_USEC: '30000000' })).toBe(15_000); // WatchdogSec=30
    expect(interval({ WATCHDOG_USEC: '3000' })).toBe(1);
    expect(interval({ WATCHDOG_USEC: '1' })).toBe(1); // never 0: that would spin
  });

  it('is null when unset or not a positive integer', () => {
    for (const v of [undefined, '', '0', '-5', 'abc', '1.5e7', '30s', ' 30000000']) {
      expect(interval(v === undefined ? {} : { WATCHDOG_USEC: v }), String(v)).toBeNull();
    }
  });

  it('honours WATCHDOG_PID only when it is this process', () => {
    expect(interval({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: String(process.pid) })).toBe(15_000);
    expect(interval({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: String(process.pid + 1) })).toBeNull();
    expect(interval({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: 'me' })).toBeNull();
  });
});

describe('startWatchdog', () => {
  it('sends WATCHDOG=1 only for checks that answer true, and nothing after stop()', async () => {
    const n = notifier();
    // One answer per tick: true, false, resolves true, rejects, throws, then false for ever.
    const answers: Array<() => boolean | Promise<boolean>> = [
      () => true,
      () => false,
      () => Promise.resolve(true),
      () => Promise.reject(new Error('database locked')),
      () => {
        throw new Error('event loop lag');
      },
    ];
    let calls = 0;
    const dog = startWatchdog(
      n,
      () => {
        calls++;
        return (answers.shift() ?? (() => false))();
      },
      15,
      { logger },
    );
    await waitFor(() => calls >= 8, 2000, 'eight health checks');
    dog.stop();
    const callsAtStop = calls;
    await sleep(60);
    n.stopping();
    await waitFor(() => datagrams.includes('STOPPING=1'));
    expect(calls).toBe(callsAtStop);
    expect(datagrams).toEqual(['WATCHDOG=1', 'WATCHDOG=1', 'STOPPING=1']);
    // Logged on transitions only: unhealthy, healthy again, unhealthy (not once per tick).
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatch(/withholding/);
  });

  it('withholds WATCHDOG=1 while a health check hangs', async () => {
    const n = notifier();
    let calls = 0;
    const dog = startWatchdog(
      n,
      () => {
        calls++;
        return new Promise<boolean>(() => {}); // a wedged database query
      },
      10,
      { logger },
    );
    await sleep(80);
    dog.stop();
    n.status('probe');
    await waitFor(() => datagrams.length === 1);
    expect(calls).toBe(1);
    expect(datagrams).toEqual(['STATUS=probe']);
    expect(logged.some((m) => m.includes('has not finished'))).toBe(true);
  });

  it('rejects a non-positive interval', () => {
    const n = notifier();
    expect(() => startWatchdog(n, () => true, 0)).toThrow(RangeError);
    expect(() => startWatchdog(n, () => true, Number.NaN)).toThrow(RangeError);
  });
});
