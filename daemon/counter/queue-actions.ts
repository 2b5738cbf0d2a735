// Moving tickets along (daemon/README.md "Ticket lifecycle"): call the next, call a scanned ticket,
// recall, set aside as a no-show (by hand, or by itself after KIOSK_NO_SHOW_AFTER_CALLS calls with
// nothing handed over), put back in the queue, cancel. Each is a staff action: idempotent on its
// id, audited (refusals too) and reported upstream, in one transaction.
import type { ActionAck, CalledTicket, TicketStatus, TicketView } from '../../protocol/events.js';
import type { DaemonContext } from '../context.js';
import { fail, type ActionRunner, type Actor, type Fail, type StaffRequest } from './action-runner.js';
import type { TicketRow } from './tickets.js';
import { ticketView } from './views.js';

type Announced<T> = T & { called?: CalledTicket };
type TicketAck = ActionAck<{ ticket: TicketView }>;

export class QueueActions {
  constructor(
    private readonly ctx: DaemonContext,
    private readonly runner: ActionRunner,
  ) {}

  /** A counter name this office's stations may use (KIOSK_COUNTERS); a refusal in words otherwise. */
  counterProblem(counter: string): Fail | null {
    if (this.ctx.config.counters.includes(counter)) return null;
    const shown = counter.length > 12 ? `${counter.slice(0, 12)}…` : counter;
    return fail('BAD_REQUEST', `"${shown}" is not a counter of this office. Choose one of: ${this.ctx.config.counters.join(', ')}.`);
  }

  callNext(actor: Actor, id: string, counter: string): { ticket: TicketView | null } | Fail {
    const request = { id, kind: 'call-next', payload: { counter }, facts: { counter: counter.slice(0, 32) } };
    return this.announcing(actor, request, (): Announced<{ ticket: TicketView | null }> | Fail => {
      const refused = this.counterProblem(counter);
      if (refused) return refused;
      const now = this.ctx.now();
      // The ticket this counter called N times in vain is set aside as it moves on.
      for (const row of this.ctx.tickets.calledUnserved(this.ctx.config.office, counter, this.ctx.config.noShowAfterCalls, now)) this.setAside(actor, row, now, true);
      const next = this.ctx.tickets.nextWaiting(this.ctx.config.office, now);
      if (!next) return { ticket: null };
      const row = this.ctx.tickets.call(next.id, counter, now);
      this.recordCall(actor, row, now, {});
      return { ticket: ticketView(this.ctx, row), called: { number: row.number, counter, at: now.toISOString() } };
    });
  }

  /** Announce a called ticket again, to this counter; past the no-show limit it is set aside instead. */
  recall(actor: Actor, id: string, ticketId: string, counter: string): TicketAck {
    const request = { id, kind: 'recall', payload: { ticketId, counter }, facts: { ticketId, counter: counter.slice(0, 32) } };
    return this.announcing(actor, request, (): Announced<TicketAck> => {
      const refused = this.counterProblem(counter);
      if (refused) return refused;
      const row = this.today(ticketId);
      if (!row.ok) return row;
      const t = row.ticket;
      if (t.status !== 'called') return fail('CONFLICT', notCalled(t));
      const now = this.ctx.now();
      if (t.round_calls >= this.ctx.config.noShowAfterCalls && !this.anyHandedOver(t)) {
        return { ok: true, ticket: ticketView(this.ctx, this.setAside(actor, t, now, true)) };
      }
      const called = this.ctx.tickets.call(t.id, counter, now);
      this.recordCall(actor, called, now, { recall: true });
      return { ok: true, ticket: ticketView(this.ctx, called), called: { number: called.number, counter, at: now.toISOString(), recall: true } };
    });
  }

  /** Called and did not come: set the ticket aside (it keeps its items and may be put back). */
  noShow(actor: Actor, id: string, ticketId: string): TicketAck {
    return this.runner.run(actor, { id, kind: 'no-show', payload: { ticketId }, facts: { ticketId } }, (): TicketAck => {
      const row = this.today(ticketId);
      if (!row.ok) return row;
      if (row.ticket.status !== 'called') return fail('CONFLICT', notCalled(row.ticket));
      return { ok: true, ticket: ticketView(this.ctx, this.setAside(actor, row.ticket, this.ctx.now(), false)) };
    });
  }

  /** Put a called or no-show ticket back in the queue, behind those waiting now. */
  requeue(actor: Actor, id: string, ticketId: string): TicketAck {
    return this.runner.run(actor, { id, kind: 'requeue', payload: { ticketId }, facts: { ticketId } }, (): TicketAck => {
      const row = this.today(ticketId);
      if (!row.ok) return row;
      const t = row.ticket;
      if (t.status !== 'called' && t.status !== 'no-show') {
        return fail('CONFLICT', t.status === 'waiting' ? `${t.number} is already waiting in the queue.` : `${t.number} is ${statusWords(t.status)}: it cannot go back in the queue.`);
      }
      const now = this.ctx.now();
      const back = this.ctx.tickets.requeue(t.id);
      this.record(actor, 'requeue', back, now, { from: t.status });
      return { ok: true, ticket: ticketView(this.ctx, back) };
    });
  }

  cancel(actor: Actor, id: string, ticketId: string, reason: string): TicketAck {
    return this.runner.run(actor, { id, kind: 'cancel', payload: { ticketId, reason }, facts: { ticketId, reason } }, (): TicketAck => {
      const row = this.today(ticketId);
      if (!row.ok) return row;
      const t = row.ticket;
      if (t.status === 'done' || t.status === 'cancelled') return fail('CONFLICT', `${t.number} is ${statusWords(t.status)} already.`);
      const now = this.ctx.now();
      const cancelled = this.ctx.tickets.cancel(t.id, reason, now);
      this.record(actor, 'cancel', cancelled, now, { from: t.status, reason });
      return { ok: true, ticket: ticketView(this.ctx, cancelled) };
    });
  }

  /**
   * A ticket's QR scanned at a counter: show its items. The person is here, so a ticket of today
   * that is waiting or was set aside is called to this counter and announced like any call.
   * Without a counter nothing is called. Its caller keeps the answer for retries (sockets.ts).
   */
  callByTicketScan(actor: Actor, ticketId: string, counter: string | null): TicketView | null {
    const now = this.ctx.now();
    const row = this.ctx.tickets.get(ticketId);
    if (!row) return null;
    const isToday = row.day === this.ctx.clock.day(now);
    if (!counter || !isToday || (row.status !== 'waiting' && row.status !== 'no-show')) return ticketView(this.ctx, row);
    const called = this.ctx.cache.db.transaction(() => {
      const c = this.ctx.tickets.call(row.id, counter, now);
      this.recordCall(actor, c, now, { by: 'ticket-scan' });
      return c;
    })();
    this.ctx.bus.emit('called', { number: called.number, counter, at: now.toISOString(), ...(called.calls > 1 ? { recall: true } : {}) });
    this.ctx.bus.emit('stateChanged');
    return ticketView(this.ctx, called);
  }

  /** Run an action that may call a ticket: the display announces it on the first answer only, never on a retry. */
  private announcing<T extends object>(actor: Actor, request: StaffRequest, action: () => Announced<T>): T {
    const retry = this.runner.results.previous<Announced<T>>({ id: request.id, kind: request.kind, staffId: actor.staffId, payload: request.payload });
    const result = retry ?? this.runner.run(actor, request, action);
    const { called, ...answer } = result;
    if (!retry && called) this.ctx.bus.emit('called', called);
    return answer as T;
  }

  private today(ticketId: string): { ok: true; ticket: TicketRow } | Fail {
    const row = this.ctx.tickets.get(ticketId);
    if (!row || row.office !== this.ctx.config.office) return fail('NOT_FOUND', 'There is no such ticket at this office.');
    if (row.day !== this.ctx.clock.day(this.ctx.now())) return fail('CONFLICT', `${row.number} was issued on ${row.day}: a ticket is only good for its day.`);
    return { ok: true, ticket: row };
  }

  private anyHandedOver(row: TicketRow): boolean {
    return this.ctx.tickets.items(row.id).some((i) => i.handedOverAt !== null);
  }

  private setAside(actor: Actor, row: TicketRow, now: Date, auto: boolean): TicketRow {
    const aside = this.ctx.tickets.setAside(row.id);
    this.record(actor, 'no-show', aside, now, auto ? { auto: true, calls: row.round_calls } : {});
    return aside;
  }

  private recordCall(actor: Actor, row: TicketRow, now: Date, extra: Record<string, unknown>): void {
    const data = { ticketId: row.id, number: row.number, counter: row.counter, calls: row.calls, ...extra };
    this.ctx.audit.append({ type: 'call', deviceId: actor.deviceId, staffId: actor.staffId, at: now, data });
    this.runner.reportUpstream(extra['recall'] ? 'recall' : 'call', actor, now, data);
  }

  private record(actor: Actor, kind: string, row: TicketRow, now: Date, extra: Record<string, unknown>): void {
    const data = { kind, ticketId: row.id, number: row.number, ...extra };
    this.ctx.audit.append({ type: 'staff-action', deviceId: actor.deviceId, staffId: actor.staffId, at: now, data });
    this.runner.reportUpstream(kind, actor, now, { ticketId: row.id, number: row.number, ...extra });
  }
}

function statusWords(status: TicketStatus): string {
  return { waiting: 'waiting', called: 'called', done: 'done', cancelled: 'cancelled', 'no-show': 'set aside as a no-show' }[status];
}

function notCalled(t: TicketRow): string {
  switch (t.status) {
    case 'waiting':
      return `${t.number} has not been called yet: call it with “Call next”, or scan its ticket at your counter.`;
    case 'no-show':
      return `${t.number} was set aside as a no-show: put it back in the queue, or scan its ticket if the person is here.`;
    default:
      return `${t.number} is ${statusWords(t.status)}.`;
  }
}
