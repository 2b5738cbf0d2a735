// Issue 12.5: an AUTH scan whose items overlap an earlier APP ticket. A ticket holds every item its
// scan accepted and is bound to that code; it never shows (or reprints) another holder's ticket.
// Through a real daemon, the virtual printer and Socket.IO clients.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterState, KioskState, TicketView, VerdictEvent } from '../protocol/events.js';
import { mintKq1 } from '../sync/issuing/kq1-issuer.js';
import type { VirtualPrinter } from '../drivers/index.js';
import { startVirtualPrinter } from './helpers/printer.js';
import { batchReceipt, OFFICE, request, startTestDaemon, until, type TestDaemon } from './support/daemon-harness.js';

describe('an AUTH scan overlapping an earlier APP ticket', () => {
  let t: TestDaemon;
  let printer: VirtualPrinter;
  let kiosk: Awaited<ReturnType<TestDaemon['kiosk']>>;
  let staff: Awaited<ReturnType<TestDaemon['staff']>>;
  const iat = Math.floor(Date.now() / 1000) - 60;
  /** The APP code of a batch application (a receiver may print one per application too). */
  const appOfBatch = (i: number) => mintKq1({ typ: 'APP', iat, jti: `app-b${i}`, rcpt: batchReceipt(i), off: OFFICE, proc: 'NEW' }, t.key);
  const scan = (text: string) => request<VerdictEvent>(kiosk, 'scan', { text, source: 'typed' });
  const counterState = async () => {
    const got = new Promise<CounterState>((resolve) => staff.once('counter-state', resolve));
    t.daemon.ctx.bus.emit('stateChanged');
    return got;
  };
  const view = async (ticketId: string): Promise<TicketView | undefined> => (await counterState()).queue.find((q) => q.id === ticketId);

  beforeAll(async () => {
    const vp = await startVirtualPrinter();
    printer = vp.printer;
    t = await startTestDaemon({ KIOSK_PRINTER: vp.spec }, { duplicateWindowMs: 0 });
    kiosk = await t.kiosk();
    staff = await t.staff(await t.signIn());
  });
  afterAll(async () => {
    await t?.stop();
    await printer?.stop();
  });

  it('issues a second ticket holding every item the AUTH scan accepted, and says which are also on the first', async () => {
    const first = await scan(appOfBatch(0));
    expect([first.verdict.outcome, first.ticket?.number]).toEqual(['accepted', 'A-001']);

    const auth = await scan(t.codes.auth());
    expect(auth.verdict.applications.map((a) => a.receiptNumber)).toEqual([0, 1, 2].map(batchReceipt));
    expect(auth.repeat).toBeFalsy();
    expect(auth.ticket?.number).toBe('A-002');
    expect(auth.verdict.message.en).toContain('A-001');
    expect(auth.position).toEqual({ status: 'waiting', ahead: 1, estimatedWaitMinutes: expect.any(Number) });

    // The counter sees both tickets, each with what its own scan accepted.
    expect((await view(first.ticket!.id))?.items.map((i) => i.receiptNumber)).toEqual([batchReceipt(0)]);
    expect((await view(auth.ticket!.id))?.items.map((i) => i.receiptNumber)).toEqual([0, 1, 2].map(batchReceipt));

    // The paper of the second says why the person may hold two numbers.
    const paper = await until(() => printer.decode().find((p) => p.qrPayloads.includes(`KT-${auth.ticket!.id.toUpperCase()}`)), 'the second ticket on paper');
    expect(paper.lines.join('\n')).toMatch(/…0000 → A-001/);
    expect(paper.lines.join('\n')).toContain('交付物 3 点');
  });

  it('the same AUTH code again shows its own ticket, never the APP holder’s', async () => {
    const again = await scan(t.codes.auth());
    expect([again.ticket?.number, again.repeat]).toEqual(['A-002', true]);
  });

  it('an APP scan for an item an AUTH ticket holds gets a ticket of its own, not the AUTH ticket (and not its reprint)', async () => {
    const app1 = await scan(appOfBatch(1));
    expect(app1.ticket?.number).toBe('A-003');
    expect(app1.repeat).toBeFalsy();
    expect(app1.verdict.message.en).toContain('A-002');
  });

  it('once the items are handed over on one ticket, the others that held only them leave the queue by themselves', async () => {
    const ticketOf = (n: string) => t.daemon.ctx.cache.db.prepare('SELECT id, status, closed_by FROM tickets WHERE number = ?').get(n) as { id: string; status: string; closed_by: string | null };
    const a2 = ticketOf('A-002').id;
    for (const i of [0, 1, 2]) {
      expect(await request(staff, 'handover', { id: randomUUID(), receiptNumber: batchReceipt(i), ticketId: a2 })).toEqual({ ok: true });
    }
    expect(ticketOf('A-002')).toMatchObject({ status: 'done', closed_by: 'handover' });
    expect(ticketOf('A-001')).toMatchObject({ status: 'done', closed_by: 'settled' });
    expect(ticketOf('A-003')).toMatchObject({ status: 'done', closed_by: 'settled' });
    const state = (await (await fetch(`${t.daemon.url}/api/state`)).json()) as KioskState;
    expect(state.queue.waiting).toBe(0);
    expect((await counterState()).queue).toEqual([]);
    // The first ticket's item shows collected under it, though not handed over on it.
    const closed = t.daemon.ctx.audit.tail(20).filter((r) => r.type === 'ticket' && r.data['closedBy'] === 'settled');
    expect(closed.map((r) => r.data['number']).sort()).toEqual(['A-001', 'A-003']);
  });
});
