// Another process writing the live database (`kiosk import` into the data directory, the staff CLI)
// must never make a scan fail: the scan waits its turn, within bounds.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerdictEvent } from '../protocol/events.js';
import { generateSigningKey, mintKq1 } from '../sync/issuing/kq1-issuer.js';
import { appReceipt, OFFICE, request, testFeed } from './support/daemon-harness.js';
import { CLI, kioskSocket, runCli, startDaemonProcess } from './support/daemon-process.js';
import { ndjson, tempDir } from './support/fixtures.js';

const APPS = 2000;
const BIG_IMPORT = 300_000;

describe('a second process writing the live database', () => {
  const tmp = tempDir('kiosk-writers-');
  const dataDir = join(tmp.dir, 'data');
  const key = generateSigningKey('writers-key');
  const bigFeed = join(tmp.dir, 'big.ndjson');

  beforeAll(async () => {
    const feed = join(tmp.dir, 'feed.ndjson');
    await new Promise<void>((resolve) => createWriteStream(feed).end(ndjson(testFeed(key, { screenApps: APPS })), () => resolve()));
    expect(runCli(['import', feed, '--data', dataDir]).status).toBe(0);
    // A large feed of other applications, as a nightly file import would bring.
    const out = createWriteStream(bigFeed);
    const ready = { status: 'ready', feesPaid: true, individualCodeIssued: false, deliverables: ['certificate'], vehicle: {}, reviewCompletedAt: null };
    for (let i = 0; i < BIG_IMPORT; i++) {
      const line = JSON.stringify({ seq: 1000 + i, entity: 'application', id: `2026120143019${String(i).padStart(6, '0')}`, op: 'upsert', data: { ...ready, office: OFFICE, procedureType: 'RENEW', channel: 'screen', receiverId: null } });
      if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it('scans during a large `kiosk import` and a staff CLI write all succeed', async () => {
    const daemon = await startDaemonProcess(dataDir, { KIOSK_MAX_WAITING: '100000' });
    const socket = await kioskSocket(daemon.url);
    try {
      const importer = spawn(process.execPath, [CLI, 'import', bigFeed, '--data', dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
      let importErr = '';
      importer.stderr.on('data', (d: Buffer) => (importErr += d.toString()));
      const importDone = new Promise<number | null>((r) => importer.once('exit', (c) => r(c)));
      let importing = true;
      void importDone.then(() => (importing = false));

      const iat = Math.floor(Date.now() / 1000) - 60;
      const failures: unknown[] = [];
      let scans = 0;
      for (let i = 0; importing && i < APPS; i++) {
        const text = mintKq1({ typ: 'APP', iat, jti: `w-${i}`, rcpt: appReceipt(i), off: OFFICE, proc: 'RENEW' }, key);
        const ack = await request<VerdictEvent | { ok: false; error: unknown }>(socket, 'scan', { text, source: 'typed' }, 20_000);
        scans++;
        if (!('verdict' in ack) || ack.verdict.outcome !== 'accepted' || !ack.ticket) failures.push(ack);
        if (i === 20) expect(runCli(['staff', 'add', 'w1', '--name', '書込 試験', '--data', dataDir], { input: '246813\n' }).status).toBe(0);
      }
      expect(await importDone, importErr).toBe(0);
      expect(scans).toBeGreaterThan(20); // the scans really overlapped the import
      expect(failures).toEqual([]);
    } finally {
      socket.disconnect();
      await daemon.stop();
    }
    const batchApps = 3; // testFeed's receiver applications
    expect(JSON.parse(runCli(['status', '--json', '--data', dataDir]).stdout)).toMatchObject({ counts: { applications: APPS + batchApps + BIG_IMPORT } });
  }, 180_000);
});
