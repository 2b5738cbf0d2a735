// Moving tickets along (daemon/README.md "Ticket lifecycle"): call the next, call a scanned ticket,
// recall, set aside as a no-show (by hand, or by itself after KIOSK_NO_SHOW_AFTER_CALLS calls with
// nothing handed over), put back in the queue, cancel. Each is a staff action: idempotent on its
// id, audited (refusals too) and reported upstream, in one transaction. The rules themselves are in
// queue-rules.ts, shared with the office log (daemon/office/).
import type { ActionAck, CalledTicket, TicketView } from '../../protocol/events.js';
import type { DaemonContext } from '../context.js';
import { fail, type ActionRunner, type Actor, type Fail, type StaffRequest } from './action-runner.js';
import { announced, QueueRules, type Moved, type QueueEffect } from './queue-rules.js';
import type { TicketRow } from './tickets.js';
import { ticketView } from './views.js';

type Announced<T> = T & { called?: CalledTicket };
type TicketAck = ActionAck<{ ticket: TicketView }>;

export class QueueActions {
  readonly rules: QueueRules;

  constructor(
    private readonly ctx: DaemonContext,
    private readonly runner: ActionRunner,
  ) {
    this.rules = new QueueRules(ctx.tickets, ctx.clock, ctx.config.office, ctx.config.noShowAfterCalls);
  }

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
      const moved = this.rules.callNext(counter, now);
      const row = moved.answer.ticket;
      return this.recorded(actor, moved, now, { ticket: row ? ticketView(this.ctx, row) : null });
    });
  }

  /** Announce a called ticket again, to this counter; past the no-show limit it is set aside instead. */
  recall(actor: Actor, id: string, ticketId: string, counter: string): TicketAck {
    const request = { id, kind: 'recall', payload: { ticketId, counter }, facts: { ticketId, counter: counter.slice(0, 32) } };
    return this.announcing(actor, request, (): Announced<TicketAck> => {
      const refused = this.counterProblem(counter);
      if (refused) return refused;
      return this.move(actor, (now) => this.rules.recall(ticketId, counter, now));
    });
  }

  /** Called and did not come: set the ticket aside (it keeps its items and may be put back). */
  noShow(actor: Actor, id: string, ticketId: string): TicketAck {
    return this.runner.run(actor, { id, kind: 'no-show', payload: { ticketId }, facts: { ticketId } }, () => this.move(actor, (now) => this.rules.noShow(ticketId, now)));
  }

  /** Put a called or no-show ticket back in the queue, behind those waiting now. */
  requeue(actor: Actor, id: string, ticketId: string): TicketAck {
    return this.runner.run(actor, { id, kind: 'requeue', payload: { ticketId }, facts: { ticketId } }, () => this.move(actor, (now) => this.rules.requeue(ticketId, now)));
  }

  cancel(actor: Actor, id: string, ticketId: string, reason: string): TicketAck {
    return this.runner.run(actor, { id, kind: 'cancel', payload: { ticketId, reason }, facts: { ticketId, reason } }, () =>
      this.move(actor, (now) => this.rules.cancel(ticketId, reason, now)),
    );
  }

  /**
   * A ticket's QR scanned at a counter: show its items. The person is here, so a ticket of today
   * that is waiting or was set aside is called to this counter and announced like any call.
   * Without a counter nothing is called. Its caller keeps the answer for retries (sockets.ts).
   */
  callByTicketScan(actor: Actor, ticketId: string, counter: string | null): TicketView | null {
    if (!counter) {
      const row = this.ctx.tickets.get(ticketId);
      return row ? ticketView(this.ctx, row) : null;
    }
    const now = this.ctx.now();
    const { ticket, called } = this.ctx.cache.db.transaction(() => {
      const moved = this.rules.callByScan(ticketId, counter, now);
      return this.recorded(actor, moved, now, moved.answer);
    })();
    if (called) {
      this.ctx.bus.emit('called', called);
      this.ctx.bus.emit('stateChanged');
    }
    return ticket ? ticketView(this.ctx, ticket) : null;
  }

  /**
   * Record what a move did: audit rows and upstream events of its calls and set-asides, and the
   * call a display announces. Call in the action's transaction.
   */
  recordEffects(actor: Actor, effects: readonly QueueEffect[], now: Date): CalledTicket | undefined {
    let called: CalledTicket | undefined;
    for (const e of effects) {
      if (e.type === 'call') {
        const data = { ticketId: e.ticketId, number: e.number, counter: e.counter, calls: e.calls, ...e.extra };
        this.ctx.audit.append({ type: 'call', deviceId: actor.deviceId, staffId: actor.staffId, at: now, data });
        this.runner.reportUpstream(e.recall ? 'recall' : 'call', actor, now, data);
        called = announced(e, now.toISOString());
      } else {
        const data = { kind: e.kind, ticketId: e.ticketId, number: e.number, ...e.extra };
        this.ctx.audit.append({ type: 'staff-action', deviceId: actor.deviceId, staffId: actor.staffId, at: now, data });
        this.runner.reportUpstream(e.kind, actor, now, { ticketId: e.ticketId, number: e.number, ...e.extra });
      }
    }
    return called;
  }

  private move(actor: Actor, rule: (now: Date) => Moved<{ ok: true; ticket: TicketRow }> | Fail): Announced<TicketAck> {
    const now = this.ctx.now();
    const moved = rule(now);
    if ('ok' in moved) return moved;
    return this.recorded(actor, moved, now, { ok: true, ticket: ticketView(this.ctx, moved.answer.ticket) });
  }

  private recorded<T extends object>(actor: Actor, moved: Moved<unknown>, now: Date, answer: T): Announced<T> {
    const called = this.recordEffects(actor, moved.effects, now);
    return called ? { ...answer, called } : answer;
  }

  /** Run an action that may call a ticket: the display announces it on the first answer only, never on a retry. */
  private announcing<T extends object>(actor: Actor, request: StaffRequest, action: () => Announced<T>): T {
    const retry = this.runner.results.previous<Announced<T>>({ id: request.id, kind: request.kind, staffId: actor.staffId, payload: request.payload });
    const result = retry ?? this.runner.run(actor, request, action);
    const { called, ...answer } = result;
    if (!retry && called) this.ctx.bus.emit('called', called);
    return answer as T;
  }
}
