// The whole path through real parts: socat ttys as scanners → daemon → Socket.IO clients, the
// virtual ESC/POS printer on loopback TCP, and the SQLite file.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerdictEvent } from '../protocol/events.js';
import { createTtyPair, type TtyPair } from './helpers/socat.js';
import { startVirtualPrinter } from './helpers/printer.js';
import type { VirtualPrinter } from '../drivers/index.js';
import { batchReceipt, appReceipt, request, startTestDaemon, until, type TestDaemon } from './support/daemon-harness.js';

describe('daemon end to end: scan → verdict → ticket → handover', () => {
  let t: TestDaemon;
  let tty1: TtyPair;
  let tty2: TtyPair;
  let printer: VirtualPrinter;
  let kiosk: Awaited<ReturnType<TestDaemon['kiosk']>>;
  let staff: Awaited<ReturnType<TestDaemon['staff']>>;

  beforeAll(async () => {
    [tty1, tty2] = await Promise.all([createTtyPair(), createTtyPair()]);
    const vp = await startVirtualPrinter();
    printer = vp.printer;
    t = await startTestDaemon({ KIOSK_SCANNERS: `serial:${tty1.a}?id=scanner-1,serial:${tty2.a}?id=scanner-2`, KIOSK_PRINTER: vp.spec }, { duplicateWindowMs: 0 });
    await until(() => [...t.daemon.board.devices.values()].filter((d) => d.state === 'connected').length === 2, 'both scanners connected');
    kiosk = await t.kiosk();
    staff = await t.staff(await t.signIn());
  });
  afterAll(async () => {
    await t?.stop();
    await Promise.all([tty1?.cleanup(), tty2?.cleanup(), printer?.stop()]);
  });

  const nextVerdict = async (write: () => Promise<void>): Promise<VerdictEvent> => {
    const before = kiosk.verdicts.length;
    await write();
    return until(() => kiosk.verdicts[before], 'a verdict event');
  };

  it('an accepted APP scan gets a verdict, a numbered ticket, and the ticket prints', async () => {
    const e = await nextVerdict(() => tty1.write(t.codes.app(0) + '\r'));
    expect([e.verdict.outcome, e.verdict.codeType, e.deviceId, e.source]).toEqual(['accepted', 'APP', 'scanner-1', 'serial']);
    expect(e.ticket?.number).toBe('A-001');
    const printed = await until(() => printer.decode().find((p) => p.qrPayloads.includes(`KT-${e.ticket!.id.toUpperCase()}`)), 'the ticket on paper');
    expect(printed.lines.join('\n')).toContain('熊本事務所');
    expect(printed.large.join(' ')).toContain('A-001');
    expect(printed.cuts).toBe(1);
  });

  it('the same code again, from the other scanner, shows the same ticket and prints nothing new', async () => {
    const printedBefore = printer.decode().length;
    const e = await nextVerdict(() => tty2.write(t.codes.app(0) + '\r\n'));
    expect([e.ticket?.number, e.repeat]).toEqual(['A-001', true]);
    await new Promise((r) => setTimeout(r, 300));
    expect(printer.decode()).toHaveLength(printedBefore);

    // The screen offers a reprint for that repeat scan: it prints once, marked as a reprint.
    expect(await request(kiosk, 'reprint', { scanId: e.scanId })).toEqual({ ok: true });
    const reprint = await until(() => printer.decode()[printedBefore], 'the reprint');
    expect([reprint.large.join(' '), reprint.lines.join(' ')]).toEqual([expect.stringContaining('A-001'), expect.stringContaining('再発行')]);
    expect(await request(kiosk, 'reprint', { scanId: e.scanId })).toMatchObject({ ok: false, error: { code: 'NO_REPRINT_OFFER' } });
  });

  it('REG at the self-service kiosk is referred to the counter, without a ticket', async () => {
    const e = await nextVerdict(() => tty1.write(t.codes.reg() + '\n'));
    expect([e.verdict.outcome, e.verdict.reason, e.ticket]).toEqual(['refer', 'COUNTER_ONLY', null]);
  });

  it('counter handover marks the application collected; its code then says ALREADY_COLLECTED', async () => {
    const ticketId = kiosk.verdicts.find((v) => v.ticket?.number === 'A-001')!.ticket!.id;
    const called = await request<{ ticket: { id: string; number: string } | null }>(staff, 'call-next', { id: randomUUID(), counter: '1' });
    expect(called.ticket?.id).toBe(ticketId);
    const staffActions = t.daemon.ctx.outbox.pending(100).filter((ev) => ev.type === 'staff-action');
    expect(staffActions.map((ev) => [ev.data['kind'], ev.data['number'], ev.data['staffId']])).toEqual([['call', 'A-001', 's1']]);
    const ack = await request<{ ok: boolean }>(staff, 'handover', { id: randomUUID(), receiptNumber: appReceipt(0), ticketId });
    expect(ack).toEqual({ ok: true });
    expect(t.daemon.ctx.cache.view.application(appReceipt(0))?.status).toBe('collected');
    const e = await request<VerdictEvent>(kiosk, 'scan', { text: t.codes.app(0), source: 'typed' });
    expect([e.verdict.outcome, e.verdict.reason]).toEqual(['rejected', 'ALREADY_COLLECTED']);
    const pickups = t.daemon.ctx.outbox.pending(100).filter((ev) => ev.type === 'pickup');
    expect(pickups.map((p) => p.data['receiptNumber'])).toEqual([appReceipt(0)]);
  });

  it('a handover retried with the same id acts once', async () => {
    const id = randomUUID();
    const first = await request(staff, 'handover', { id, receiptNumber: appReceipt(1) });
    const again = await request(staff, 'handover', { id, receiptNumber: appReceipt(1) });
    expect([first, again]).toEqual([{ ok: true }, { ok: true }]);
    const other = await request<{ ok: boolean; error?: { code: string } }>(staff, 'handover', { id: randomUUID(), receiptNumber: appReceipt(1) });
    expect(other.error?.code).toBe('ALREADY_COLLECTED');
    expect(t.daemon.ctx.cache.db.prepare('SELECT count(*) AS n FROM local_pickups WHERE receipt_number = ?').get(appReceipt(1))).toEqual({ n: 1 });
  });

  it('an action id belongs to one action; concurrent retries of a counter scan scan once', async () => {
    const id = randomUUID();
    expect(await request(staff, 'handover', { id, receiptNumber: appReceipt(2) })).toEqual({ ok: true });
    expect(await request(staff, 'call-next', { id, counter: '1' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    const scanId = randomUUID();
    const scansBefore = t.daemon.ctx.audit.count();
    const answers = await Promise.all([1, 2, 3].map(() => request<{ verdict: { outcome: string } }>(staff, 'scan', { id: scanId, text: t.codes.app(3) })));
    expect(answers.map((a) => a.verdict.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(t.daemon.ctx.audit.count() - scansBefore).toBe(2); // one scan row and one verdict row
  });

  it('two scanners scanning the same AUTH code 1,000 times each: one ticket, no double handover', async () => {
    const code = t.codes.auth() + '\r';
    const before = kiosk.verdicts.length;
    await Promise.all([tty1, tty2].map(async (tty) => {
      for (let i = 0; i < 1000; i++) await tty.write(code);
    }));
    await until(() => kiosk.verdicts.length - before >= 2000, '2,000 verdicts', 60_000);
    const events = kiosk.verdicts.slice(before);
    const notAccepted = events.filter((e) => e.verdict.outcome !== 'accepted' || e.duplicate).map((e) => `${e.deviceId}: ${e.verdict.reason}${e.duplicate ? ' (duplicate)' : ''}`);
    expect(notAccepted).toEqual([]);
    expect(new Set(events.map((e) => e.ticket?.id)).size).toBe(1);
    const tickets = t.daemon.ctx.cache.db.prepare("SELECT count(*) AS n FROM tickets WHERE code_type = 'AUTH'").get();
    expect(tickets).toEqual({ n: 1 });

    // Two counter sessions race to hand the same three items over, 1,000 confirmations in all.
    const staff2 = await t.staff(await t.signIn());
    const receipts = [0, 1, 2].map(batchReceipt);
    const acks = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => request<{ ok: boolean }>(i % 2 ? staff : staff2, 'handover', { id: randomUUID(), receiptNumber: receipts[i % 3] }, 30_000)),
    );
    expect(acks.filter((a) => a.ok)).toHaveLength(3);
    const rows = t.daemon.ctx.cache.db.prepare(`SELECT receipt_number, count(*) AS n FROM local_pickups WHERE receipt_number IN (?, ?, ?) GROUP BY receipt_number`).all(...receipts);
    expect(rows).toEqual(receipts.map((r) => ({ receipt_number: r, n: 1 })));
    const pickupEvents = t.daemon.ctx.outbox.pending(1000).filter((e) => receipts.includes(e.data['receiptNumber'] as string));
    expect(pickupEvents).toHaveLength(3);
    staff2.disconnect();
  }, 90_000);

  it('the audit chain is intact after all of it', () => {
    const result = t.daemon.ctx.audit.verify();
    expect(result.ok).toBe(true);
    expect(result.rows).toBeGreaterThan(4000);
  });
});
