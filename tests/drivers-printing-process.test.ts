// Printing with the daemon in its own process: a kiosk reprint interrupted by kill -9 comes out
// again after the restart, marked 再発行 exactly once; a bad KIOSK_PRINTER_CONFIRM stops the start.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerdictEvent } from '../protocol/events.js';
import type { VirtualPrinter } from '../drivers/printer/virtual-printer.js';
import { generateSigningKey } from '../sync/issuing/kq1-issuer.js';
import { marks, startVirtualPrinter } from './helpers/printer.js';
import { codes, request, testFeed, until } from './support/daemon-harness.js';
import { ndjson, tempDir } from './support/fixtures.js';

const CLI = new URL('../bin/kiosk.js', import.meta.url).pathname;

function startDaemon(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'daemon'], { env: { ...process.env, KIOSK_PORT: '0', KIOSK_UPSTREAM: 'none', KIOSK_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`daemon exited ${code}: ${err}`)));
  });
}

async function kioskSocket(url: string): Promise<Socket> {
  const socket = connect(`${url}/kiosk`, { transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('connect_error', reject));
  return socket;
}

describe('printing, daemon in its own process', () => {
  const tmp = tempDir('kiosk-print-proc-');
  const dataDir = join(tmp.dir, 'data');
  const key = generateSigningKey('print-proc-key');
  let vp: VirtualPrinter;
  let spec: string;

  beforeAll(async () => {
    const feed = join(tmp.dir, 'feed.ndjson');
    writeFileSync(feed, ndjson(testFeed(key, { screenApps: 3 })));
    expect(spawnSync(process.execPath, [CLI, 'import', feed, '--data', dataDir]).status).toBe(0);
    ({ printer: vp, spec } = await startVirtualPrinter('epson'));
  });
  afterAll(async () => {
    await vp.stop();
    tmp.cleanup();
  });

  it('a kiosk reprint interrupted by kill -9 prints again after the restart, marked 再発行 once', async () => {
    const env = { KIOSK_DATA_DIR: dataDir, KIOSK_PRINTER: spec };
    const first = await startDaemon(env);
    const kiosk = await kioskSocket(first.url);
    const code = codes(key).app(0);
    const issued = await request<VerdictEvent>(kiosk, 'scan', { text: code, source: 'typed' });
    await until(() => vp.decode().filter((t) => t.cuts === 1).length === 1, 'the ticket printed', 10_000);
    // The same code again (from the camera, so not a double read): a repeat, with a reprint offer.
    const repeat = await request<VerdictEvent>(kiosk, 'scan', { text: code, source: 'camera' });
    expect([repeat.repeat, repeat.ticket?.number]).toEqual([true, issued.ticket?.number]);
    vp.setLineDelay(150); // the reprint takes seconds to come out: the kill lands mid-job
    expect(await request(kiosk, 'reprint', { scanId: repeat.scanId })).toEqual({ ok: true });
    await until(() => vp.decode().length === 2 && vp.decode()[1]!.lines.length >= 2, 'the reprint under way', 10_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    kiosk.disconnect();
    vp.setLineDelay(0); // the printer finishes what it had received

    const again = await startDaemon(env);
    try {
      await until(() => vp.decode().filter((t) => t.cuts === 1).length === 3, 'the reprint sent again after the restart', 15_000);
      await new Promise((r) => setTimeout(r, 500));
      const printed = vp.decode();
      expect(printed.map((t) => t.cuts)).toEqual([1, 1, 1]);
      expect(printed.map((t) => t.large[0])).toEqual([issued.ticket!.number, issued.ticket!.number, issued.ticket!.number]);
      expect(printed.map(marks)).toEqual([0, 1, 1]);
    } finally {
      again.child.kill('SIGTERM');
      await new Promise((r) => again.child.once('exit', r));
    }
  }, 60_000);

  it('a bad KIOSK_PRINTER_CONFIRM stops it at start with one line naming the variable', () => {
    const r = spawnSync(process.execPath, [CLI, 'daemon'], { env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', KIOSK_PRINTER_CONFIRM: 'sometimes' }, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(78);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('KIOSK_PRINTER_CONFIRM');
  });
});
