// Issue 9 (daemon side): where a ticket stands on a rescan and on its reprint, recall, no-show (by
// hand and after KIOSK_NO_SHOW_AFTER_CALLS calls), requeue, cancel, and counters as a validated
// choice. One real daemon with the virtual printer; kiosk and staff Socket.IO clients.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalledTicket, KioskState, TicketView, VerdictEvent } from '../protocol/events.js';
import type { VirtualPrinter } from '../drivers/index.js';
import { startVirtualPrinter } from './helpers/printer.js';
import { request, startTestDaemon, until, type TestDaemon } from './support/daemon-harness.js';

type Ack = { ok: boolean; ticket?: TicketView; error?: { code: string; message: string } };

describe('ticket lifecycle', () => {
  let t: TestDaemon;
  let printer: VirtualPrinter;
  let kiosk: Awaited<ReturnType<TestDaemon['kiosk']>>;
  let staff: Awaited<ReturnType<TestDaemon['staff']>>;
  const announced: CalledTicket[] = [];
  const number: Record<string, string> = {}; // ticket number → id
  const scan = (i: number) => request<VerdictEvent>(kiosk, 'scan', { text: t.codes.app(i), source: 'typed' });
  const state = async () => (await (await fetch(`${t.daemon.url}/api/state`)).json()) as KioskState;
  const act = (event: string, payload: object) => request<Ack>(staff, event, { id: randomUUID(), ...payload });

  beforeAll(async () => {
    const vp = await startVirtualPrinter();
    printer = vp.printer;
    t = await startTestDaemon({ KIOSK_PRINTER: vp.spec, KIOSK_COUNTERS: '1,2,3', KIOSK_NO_SHOW_AFTER_CALLS: '2', KIOSK_DISPLAY_SOUND: 'chime' }, { duplicateWindowMs: 0 });
    kiosk = await t.kiosk();
    kiosk.on('called', (c: CalledTicket) => announced.push(c));
    staff = await t.staff(await t.signIn());
    for (const i of [0, 1, 2]) {
      const e = await scan(i);
      number[e.ticket!.number] = e.ticket!.id;
    }
  });
  afterAll(async () => {
    await t?.stop();
    await printer?.stop();
  });

  it('a rescan tells a waiting person how many are ahead of them, not counting themselves', async () => {
    expect((await scan(2)).position).toEqual({ status: 'waiting', ahead: 2, estimatedWaitMinutes: 8 });
    const second = await scan(1);
    expect([second.repeat, second.position]).toEqual([true, { status: 'waiting', ahead: 1, estimatedWaitMinutes: 4 }]);
    expect(second.queue?.waiting).toBe(3);
  });

  it('a rescan after the call says which counter to go to, and so does the reprinted paper', async () => {
    const called = await request<{ ticket: TicketView }>(staff, 'call-next', { id: randomUUID(), counter: '2' });
    expect(called.ticket).toMatchObject({ number: 'A-001', status: 'called', counter: '2', calls: 1 });
    const rescan = await scan(0);
    expect([rescan.ticket?.number, rescan.repeat, rescan.position]).toEqual(['A-001', true, { status: 'called', counter: '2', calledAt: called.ticket.calledAt }]);

    expect(await request(kiosk, 'reprint', { scanId: rescan.scanId })).toEqual({ ok: true });
    const qr = `KT-${number['A-001']!.toUpperCase()}`;
    const paper = await until(() => printer.decode().find((p) => p.qrPayloads.includes(qr) && p.lines.includes('再発行 / REPRINT')), 'the reprint');
    expect(paper.lines).toEqual(expect.arrayContaining(['2番窓口へお越しください', 'Please go to counter 2', 'お待ちの方 0 人 / waiting 0']));
    // The others moved up.
    expect((await scan(1)).position).toMatchObject({ status: 'waiting', ahead: 0 });
  });

  it('recall announces the ticket again (recall: true) and counts the call; a retried recall announces nothing more', async () => {
    const id = randomUUID();
    const before = announced.length;
    const first = await request<Ack>(staff, 'recall', { id, ticketId: number['A-001'], counter: '3' });
    expect(first).toMatchObject({ ok: true, ticket: { status: 'called', counter: '3', calls: 2 } });
    await until(() => announced.length > before, 'the recall on the display');
    expect(announced.at(-1)).toMatchObject({ number: 'A-001', counter: '3', recall: true });
    expect(await request<Ack>(staff, 'recall', { id, ticketId: number['A-001'], counter: '3' })).toEqual(first);
    await new Promise((r) => setTimeout(r, 200));
    expect(announced.length).toBe(before + 1);
    expect((await state()).queue.recentlyCalled[0]).toMatchObject({ number: 'A-001', counter: '3', recall: true });
  });

  it('called twice (KIOSK_NO_SHOW_AFTER_CALLS=2) with nothing handed over: the next recall sets it aside as a no-show, unannounced', async () => {
    const before = announced.length;
    const ack = await act('recall', { ticketId: number['A-001'], counter: '3' });
    expect(ack).toMatchObject({ ok: true, ticket: { number: 'A-001', status: 'no-show', calls: 2 } });
    await new Promise((r) => setTimeout(r, 200));
    expect(announced.length).toBe(before);
    expect((await scan(0)).position).toEqual({ status: 'no-show' });
    const row = t.daemon.ctx.audit.tail(5).find((r) => r.data['kind'] === 'no-show');
    expect(row).toMatchObject({ type: 'staff-action', staffId: 's1', data: { auto: true, number: 'A-001' } });
  });

  it('requeue puts it back behind those waiting now, and the queue calls in that order', async () => {
    expect(await act('requeue', { ticketId: number['A-001'] })).toMatchObject({ ok: true, ticket: { status: 'waiting', counter: null } });
    expect((await scan(0)).position).toMatchObject({ status: 'waiting', ahead: 2 });
    const order: string[] = [];
    for (let i = 0; i < 3; i++) order.push((await request<{ ticket: TicketView }>(staff, 'call-next', { id: randomUUID(), counter: '1' })).ticket.number);
    expect(order).toEqual(['A-002', 'A-003', 'A-001']);
  });

  it('a counter that calls the next after calling a ticket N times in vain sets that ticket aside', async () => {
    // A-001 was called once at counter 1 since it went back; once more, then the counter moves on.
    expect(await act('recall', { ticketId: number['A-001'], counter: '1' })).toMatchObject({ ok: true, ticket: { status: 'called' } });
    const e = await scan(3);
    number[e.ticket!.number] = e.ticket!.id;
    expect((await request<{ ticket: TicketView }>(staff, 'call-next', { id: randomUUID(), counter: '1' })).ticket.number).toBe('A-004');
    expect(t.daemon.ctx.tickets.get(number['A-001']!)?.status).toBe('no-show');
    // were called once each: they stay called.
    expect(['A-002', 'A-003'].map((n) => t.daemon.ctx.tickets.get(number[n]!)?.status)).toEqual(['called', 'called']);
  });

  it('no-show by hand, and cancel with a reason; the waiting count and the estimate follow', async () => {
    for (const i of [4, 5]) {
      const e = await scan(i);
      number[e.ticket!.number] = e.ticket!.id;
    }
    expect((await state()).queue).toMatchObject({ waiting: 2, estimatedWaitMinutes: 8 });
    expect(await act('no-show', { ticketId: number['A-002'] })).toMatchObject({ ok: true, ticket: { status: 'no-show' } });
    const notCalled = await act('no-show', { ticketId: number['A-005'] });
    expect(notCalled).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'A-005 has not been called yet: call it with “Call next”, or scan its ticket at your counter.' } });

    const noReason = await act('cancel', { ticketId: number['A-005'], reason: ' ' });
    expect(noReason).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: 'Give a reason in words (at least 3 characters).' } });
    const cancelled = await act('cancel', { ticketId: number['A-005'], reason: '本人が帰られた' });
    expect(cancelled).toMatchObject({ ok: true, ticket: { status: 'cancelled', cancelReason: '本人が帰られた' } });
    expect((await state()).queue).toMatchObject({ waiting: 1, estimatedWaitMinutes: 4 });
    expect(await act('cancel', { ticketId: number['A-005'], reason: 'again' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // A cancelled ticket is out of the counter's queue; a no-show stays there, to be put back or cancelled.
    const queue = await new Promise<{ queue: TicketView[] }>((resolve) => {
      staff.once('counter-state', resolve);
      t.daemon.ctx.bus.emit('stateChanged');
    });
    expect(queue.queue.map((q) => [q.number, q.status])).toEqual([['A-002', 'no-show'], ['A-003', 'called'], ['A-001', 'no-show'], ['A-004', 'called'], ['A-006', 'waiting']]);
  });

  it('the counter is one of KIOSK_COUNTERS, refused in words otherwise (a code scanned into the field too)', async () => {
    const bad = await act('call-next', { counter: '9' });
    expect(bad).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: '"9" is not a counter of this office. Choose one of: 1, 2, 3.' } });
    const scanned = await act('call-next', { counter: t.codes.app(7) });
    expect(scanned.error?.message).toMatch(/^"KQ1\w{9}…" is not a counter of this office\. Choose one of: 1, 2, 3\.$/);
    expect(scanned.error?.message).not.toMatch(/expected|Too big|string/);
    expect(await act('recall', { ticketId: number['A-004'], counter: '0' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const counterScan = await act('scan', { text: t.codes.app(8), counter: 'x' });
    expect(counterScan).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: '"x" is not a counter of this office. Choose one of: 1, 2, 3.' } });
    expect(await act('call-next', {})).toMatchObject({ ok: false, error: { message: 'The request needs a counter of this office.' } });
    // Refusals are staff actions too: each left an audit row.
    const refusals = t.daemon.ctx.audit.tail(6).filter((r) => r.type === 'staff-action' && r.data['refused'] === 'BAD_REQUEST');
    expect(refusals.map((r) => r.data['kind'])).toEqual(['call-next', 'call-next', 'recall', 'scan', 'call-next']);
  });

  it('each action is bound to its id, audited, and sent upstream as a staff action', async () => {
    const id = randomUUID();
    expect(await request<Ack>(staff, 'requeue', { id, ticketId: number['A-002'] })).toMatchObject({ ok: true });
    expect(await request<Ack>(staff, 'requeue', { id, ticketId: number['A-002'] })).toMatchObject({ ok: true, ticket: { status: 'waiting' } });
    expect(await request<Ack>(staff, 'cancel', { id, ticketId: number['A-002'], reason: 'reuse' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const kinds = t.daemon.ctx.outbox.pending(1000).filter((e) => e.type === 'staff-action').map((e) => e.data['kind']);
    expect(new Set(kinds)).toEqual(new Set(['call', 'recall', 'no-show', 'requeue', 'cancel']));
    expect(kinds.filter((k) => k === 'requeue')).toHaveLength(2); // the retry acted once
  });

  it('the call display gets its sound settings and the counter names from the daemon', async () => {
    expect((await state()).display).toEqual({ chime: true, voice: false });
    expect((await state()).counters).toEqual(['1', '2', '3']);
  });
});
