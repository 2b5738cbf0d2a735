// The daemon as an operator runs it: `kiosk daemon` in its own process. kill -9 in the middle of
// handovers, SIGTERM, bad configuration, and who may do what.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAEMON_MIGRATIONS } from '../daemon/controller.js';
import { Cache } from '../daemon/store/cache.js';
import { generateSigningKey } from '../sync/issuing/kq1-issuer.js';
import { createUnixDgramSocket } from '../daemon/systemd/unix-dgram.js';
import { appReceipt, request, testFeed, until } from './support/daemon-harness.js';
import { CLI, startDaemonProcess } from './support/daemon-process.js';
import { ndjson, tempDir } from './support/fixtures.js';

const APPS = 1000;

async function staffSocket(url: string): Promise<Socket> {
  const res = await fetch(`${url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffId: 's1', pin: '246813' }) });
  const { token } = (await res.json()) as { token: string };
  const socket = connect(`${url}/staff`, { transports: ['websocket'], reconnection: false, auth: { token } });
  await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('connect_error', reject));
  return socket;
}

describe('kiosk daemon process', () => {
  const tmp = tempDir('kiosk-proc-');
  const dataDir = join(tmp.dir, 'data');

  beforeAll(() => {
    const feed = join(tmp.dir, 'feed.ndjson');
    writeFileSync(feed, ndjson(testFeed(generateSigningKey('proc-key'), { screenApps: APPS })));
    expect(spawnSync(process.execPath, [CLI, 'import', feed, '--data', dataDir]).status).toBe(0);
    const add = spawnSync(process.execPath, [CLI, 'staff', 'add', 's1', '--name', '窓口 花子', '--data', dataDir], { input: '246813\n', encoding: 'utf8' });
    expect(add.status, add.stderr).toBe(0);
  });
  afterAll(() => tmp.cleanup());

  it('kill -9 during a stream of handovers loses no acknowledged one and leaves the audit chain valid', async () => {
    const { child, url } = await startDaemonProcess(dataDir);
    const socket = await staffSocket(url);
    const acknowledged: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < APPS) {
        const receipt = appReceipt(next++);
        const ack = await request<{ ok: boolean }>(socket, 'handover', { id: randomUUID(), receiptNumber: receipt }, 2000).catch(() => null);
        if (ack?.ok) acknowledged.push(receipt);
        else return; // the daemon is gone
      }
    };
    const workers = Promise.all([worker(), worker(), worker(), worker()]);
    // Kill once a good part of the stream is through, with four handovers in flight.
    while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 1));
    child.kill('SIGKILL');
    await workers;
    socket.disconnect();
    expect(acknowledged.length).toBeLessThan(APPS); // the kill really landed mid-stream

    // Restart on the same files: it starts, and every acknowledged handover is there.
    const again = await startDaemonProcess(dataDir);
    expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
    again.child.kill('SIGTERM');
    await new Promise((r) => again.child.once('exit', r));
    const cache = Cache.open(dataDir, DAEMON_MIGRATIONS);
    try {
      const collected = new Set((cache.db.prepare("SELECT receipt_number AS r FROM applications WHERE status = 'collected'").all() as { r: string }[]).map((x) => x.r));
      const outboxed = new Set(
        (cache.db.prepare("SELECT json_extract(data, '$.receiptNumber') AS r FROM outbox_events WHERE type = 'pickup'").all() as { r: string }[]).map((x) => x.r),
      );
      for (const r of acknowledged) {
        expect(collected.has(r), `${r} collected`).toBe(true);
        expect(outboxed.has(r), `${r} in the outbox`).toBe(true);
      }
    } finally {
      cache.close();
    }
    const audit = spawnSync(process.execPath, [CLI, 'audit', 'verify', '--data', dataDir], { encoding: 'utf8' });
    expect(audit.status, audit.stdout + audit.stderr).toBe(0);
  }, 60_000);

  it('tells systemd READY=1, sends WATCHDOG=1 while healthy, STOPPING=1 on SIGTERM, and exits 0', async () => {
    const socketPath = join(tmp.dir, 'notify.sock');
    const datagrams: string[] = [];
    const receiver = createUnixDgramSocket((msg: Buffer) => datagrams.push(msg.toString()));
    receiver.bind(socketPath);
    try {
      const { child, url } = await startDaemonProcess(dataDir, { NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: '400000' });
      await until(() => datagrams.filter((d) => d === 'WATCHDOG=1').length >= 2, 'two watchdog pings');
      // `kiosk status` finds the running daemon and shows its view beside the files'.
      const status = spawnSync(process.execPath, [CLI, 'status', '--json', '--data', dataDir], { env: { ...process.env, KIOSK_PORT: new URL(url).port }, encoding: 'utf8' });
      expect(JSON.parse(status.stdout)).toMatchObject({ daemon: { url, upstream: { state: 'standalone' }, printer: { configured: false } }, outboxDepth: expect.any(Number) });
      expect(datagrams[0]).toMatch(/^READY=1\nSTATUS=serving http:\/\/127\.0\.0\.1:\d+, office 4301$/);
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      expect(code).toBe(0);
      // The datagram may be read a moment after the exit is seen.
      await until(() => datagrams.includes('STOPPING=1'), 'STOPPING=1', 2000);
    } finally {
      receiver.close();
    }
  });

  it.each([
    ['KIOSK_PORT', 'eighty'],
    ['KIOSK_MODE', 'selfservice'],
    ['KIOSK_SCANNERS', 'usb:/dev/ttyACM0'],
    ['KIOSK_PRINTER', 'lpt1'],
    ['KIOSK_HOURS', 'weekdays nine to five'],
    ['KIOSK_UPSTREAM', 'hub.example:8080'],
  ])('bad %s stops it at start with one line naming the variable', (name, value) => {
    const r = spawnSync(process.execPath, [CLI, 'daemon'], { env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', [name]: value }, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(78); // EX_CONFIG: kiosk.service does not restart it
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
  });

  it('a port already in use stops it at once with one line naming KIOSK_PORT (nothing left running)', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    try {
      const port = String((blocker.address() as AddressInfo).port);
      const r = spawnSync(process.execPath, [CLI, 'daemon'], { env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_PORT: port, KIOSK_UPSTREAM: 'none', KIOSK_PRINTER: 'none', KIOSK_LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 20_000 });
      expect([r.status, r.stderr.trim().split('\n').length]).toEqual([78, 1]);
      expect(r.stderr).toMatch(/KIOSK_PORT: 127\.0\.0\.1:\d+ is already in use/);
    } finally {
      blocker.close();
    }
  });

  it('staff actions need a session; the /kiosk namespace cannot trigger them', async () => {
    const { child, url } = await startDaemonProcess(dataDir);
    try {
      for (const auth of [undefined, { token: 'forged' }]) {
        const s = connect(`${url}/staff`, { transports: ['websocket'], reconnection: false, ...(auth ? { auth } : {}) });
        const error = await new Promise<Error>((resolve) => s.once('connect_error', resolve));
        expect(error.message).toMatch(/unauthorized/);
        s.disconnect();
      }
      const kiosk = connect(`${url}/kiosk`, { transports: ['websocket'], reconnection: false });
      await new Promise<void>((r) => kiosk.once('connect', () => r()));
      const receipt = appReceipt(APPS - 1);
      await expect(request(kiosk, 'handover', { id: randomUUID(), receiptNumber: receipt }, 500)).rejects.toThrow();
      await expect(request(kiosk, 'call-next', { id: randomUUID(), counter: '1' }, 500)).rejects.toThrow();
      kiosk.disconnect();
      const wrong = await fetch(`${url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffId: 's1', pin: '0000' }) });
      expect([wrong.status, ((await wrong.json()) as { error: { code: string } }).error.code]).toEqual([401, 'UNAUTHORIZED']);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await fetch(`${url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffId: 's1', pin: '1111' }) })).status);
      }
      expect(statuses.at(-1)).toBe(429);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    const cache = Cache.open(dataDir, DAEMON_MIGRATIONS);
    expect(cache.view.application(appReceipt(APPS - 1))?.status).toBe('ready');
    cache.close();
  }, 30_000);
});
