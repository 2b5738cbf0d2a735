// Issue 12.10: every staff action leaves an audit row, refusals too; receipt numbers are kept
// masked (with a tag `kiosk audit find` computes); and a log emptied or cut short no longer
// verifies, because the daemon keeps its head in an anchor file outside the database.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerdictEvent } from '../protocol/events.js';
import { ANCHOR_FILE } from '../daemon/audit/anchor.js';
import { DATABASE_FILE } from '../daemon/store/cache.js';
import { generateSigningKey, mintKq1 } from '../sync/issuing/kq1-issuer.js';
import { appReceipt, batchReceipt, codes, request, startTestDaemon, testFeed, type TestDaemon } from './support/daemon-harness.js';
import { kioskSocket, runCli, startDaemonProcess } from './support/daemon-process.js';
import { ndjson, tempDir } from './support/fixtures.js';

type Ack = { ok: boolean; error?: { code: string; message: string } };

describe('audit rows of staff actions and receipts', () => {
  let t: TestDaemon;
  let staff: Awaited<ReturnType<TestDaemon['staff']>>;
  beforeAll(async () => {
    t = await startTestDaemon();
    staff = await t.staff(await t.signIn());
  });
  afterAll(() => t?.stop());

  const rowsAfter = (seq: number) => t.daemon.ctx.audit.tail(10_000).filter((r) => r.seq > seq);
  const head = () => t.daemon.ctx.audit.latest()?.seq ?? 0;

  it('a refused handover, registration or password change leaves a row saying who asked, what, and why it was refused', async () => {
    expect(await request<Ack>(staff, 'handover', { id: randomUUID(), receiptNumber: appReceipt(4) })).toEqual({ ok: true });
    const before = head();
    expect(await request<Ack>(staff, 'handover', { id: randomUUID(), receiptNumber: appReceipt(4) })).toMatchObject({ ok: false, error: { code: 'ALREADY_COLLECTED' } });
    const regId = randomUUID();
    const regRb1 = mintKq1({ typ: 'REG', iat: Math.floor(Date.now() / 1000) - 60, jti: 'reg-rb1', rid: 'RB1', name: '株式会社みなと自動車', bid: 'IK1' }, t.key);
    const reg = await request<Ack>(staff, 'register-receiver', { id: regId, text: regRb1 });
    expect(reg).toMatchObject({ ok: false, error: { code: 'ALREADY_REGISTERED' } });
    expect(await request<Ack>(staff, 'apply-password-change', { id: randomUUID(), text: t.codes.pwd(2) })).toMatchObject({ ok: false, error: { code: 'PASSWORD_CHANGE_ALREADY_APPLIED' } });
    const rows = rowsAfter(before);
    expect(rows.map((r) => [r.type, r.staffId, r.data['kind'], r.data['refused']])).toEqual([
      ['staff-action', 's1', 'handover', 'ALREADY_COLLECTED'],
      ['staff-action', 's1', 'register-receiver', reg.error!.code],
      ['staff-action', 's1', 'apply-password-change', 'PASSWORD_CHANGE_ALREADY_APPLIED'],
    ]);
    expect(rows[1]!.data).toMatchObject({ actionId: regId, code: expect.stringMatching(/^KQ1\w{3}…\(\d+\)$/) });
  });

  it('no row holds a receipt number whole: verdicts, tickets, handovers and lookups keep it masked, and the tag finds them', async () => {
    const before = head();
    const kiosk = await t.kiosk();
    const e = await request<VerdictEvent>(kiosk, 'scan', { text: t.codes.auth(), source: 'typed' });
    expect(e.ticket).not.toBeNull();
    expect(await request<Ack>(staff, 'handover', { id: randomUUID(), receiptNumber: batchReceipt(0), ticketId: e.ticket!.id })).toEqual({ ok: true });
    await request(staff, 'lookup', { id: randomUUID(), receiptNumber: batchReceipt(1), reason: '電話での問い合わせ' });
    const text = JSON.stringify(rowsAfter(before));
    for (const r of [0, 1, 2].map(batchReceipt)) expect(text).not.toContain(r);
    const found = t.daemon.ctx.audit.findReceipt(batchReceipt(0)).filter((r) => r.seq > before);
    expect(found.map((r) => r.type)).toEqual(['verdict', 'ticket', 'handover']);
    expect(found[2]!.data['receipt']).toMatch(/^\*{13}0000#[0-9a-f]{10}$/);
  });
});

describe('the audit anchor outside the database', () => {
  const tmp = tempDir('kiosk-anchor-');
  const dataDir = join(tmp.dir, 'data');
  const key = generateSigningKey('anchor-key');
  const verify = () => runCli(['audit', 'verify', '--data', dataDir]);
  /** An attacker with the file: drop the append-only triggers, then edit. */
  const tamper = (sql: string) => {
    const db = new Database(join(dataDir, DATABASE_FILE));
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    db.exec(sql);
    db.close();
  };

  beforeAll(async () => {
    const feed = join(tmp.dir, 'feed.ndjson');
    writeFileSync(feed, ndjson(testFeed(key)));
    expect(runCli(['import', feed, '--data', dataDir]).status).toBe(0);
    const daemon = await startDaemonProcess(dataDir);
    const kiosk = await kioskSocket(daemon.url);
    const c = codes(key);
    for (let i = 0; i < 5; i++) await request(kiosk, 'scan', { text: c.app(i), source: 'typed' });
    kiosk.disconnect();
    expect(await daemon.stop('SIGTERM')).toBe(0);
  });
  afterAll(() => tmp.cleanup());

  it('the daemon leaves its last head in the anchor file (0600) when it stops, and the log verifies against it', () => {
    const anchor = JSON.parse(readFileSync(join(dataDir, ANCHOR_FILE), 'utf8')) as { seq: number; hash: string };
    expect(statSync(join(dataDir, ANCHOR_FILE)).mode & 0o777).toBe(0o600);
    const r = verify();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`audit log OK: ${anchor.seq} rows checked; last hash ${anchor.hash}\n`);
    expect(anchor.seq).toBe(15); // a scan, a verdict and a ticket row for each of 5 scans
    const found = runCli(['audit', 'find', '--receipt', appReceipt(3), '--data', dataDir]);
    expect(found.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['verdict', 'ticket']);
  });

  it('rows cut off the end of the log: verify fails and says so', () => {
    tamper('DELETE FROM audit_log WHERE seq > 12');
    const r = verify();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the log ends at seq 12, but the anchor file .* saw seq 15: rows were removed from its end/);
  });

  it('an emptied log fails too, and the anchor is left as evidence', () => {
    tamper('DELETE FROM audit_log');
    const r = verify();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the log ends at seq 0, but the anchor file .* saw seq 15/);
    expect((JSON.parse(readFileSync(join(dataDir, ANCHOR_FILE), 'utf8')) as { seq: number }).seq).toBe(15);
  });
});
