// The rules for moving a ticket along (daemon/README.md "Ticket lifecycle"), apart from who asked and
// what is recorded about it: call the next (setting aside this counter's tickets called in vain),
// call a scanned ticket, recall (or set aside past the no-show limit), no-show, requeue, cancel.
// One station's queue-actions.ts and the office log's state machine (daemon/office/) both move
// tickets with these, so a queue behaves the same on one machine and in an office. Deterministic:
// the time comes in, and nothing here reads the cache of applications.
import type { TicketStatus } from '../../protocol/events.js';
import { fail, type Fail } from './action-runner.js';
import type { OfficeClock } from './office-clock.js';
import type { TicketRow, TicketStore } from './tickets.js';

/** What a rule did that the acting station records (audit, upstream) and displays announce. */
export type QueueEffect =
  | { type: 'call'; ticketId: string; number: string; counter: string | null; calls: number; recall: boolean; extra: Record<string, unknown> }
  | { type: 'record'; kind: 'no-show' | 'requeue' | 'cancel'; ticketId: string; number: string; extra: Record<string, unknown> };

export type Moved<T> = { answer: T; effects: QueueEffect[] };
type TicketMove = Moved<{ ok: true; ticket: TicketRow }> | Fail;

export class QueueRules {
  constructor(
    private readonly tickets: TicketStore,
    private readonly clock: OfficeClock,
    private readonly office: string,
    private readonly noShowAfterCalls: number,
  ) {}

  callNext(counter: string, now: Date): Moved<{ ticket: TicketRow | null }> {
    const effects: QueueEffect[] = [];
    // The ticket this counter called N times in vain is set aside as it moves on.
    for (const row of this.tickets.calledUnserved(this.office, counter, this.noShowAfterCalls, now)) effects.push(this.setAside(row, true).effect);
    const next = this.tickets.nextWaiting(this.office, now);
    if (!next) return { answer: { ticket: null }, effects };
    const row = this.tickets.call(next.id, counter, now);
    effects.push(callEffect(row, false, {}));
    return { answer: { ticket: row }, effects };
  }

  /** A ticket's QR scanned at a counter: a waiting or set-aside ticket of today is called to it; any other is only shown. */
  callByScan(ticketId: string, counter: string, now: Date): Moved<{ ticket: TicketRow | null }> {
    const row = this.tickets.get(ticketId);
    if (!row || row.day !== this.clock.day(now) || (row.status !== 'waiting' && row.status !== 'no-show')) return { answer: { ticket: row ?? null }, effects: [] };
    const called = this.tickets.call(row.id, counter, now);
    return { answer: { ticket: called }, effects: [callEffect(called, called.calls > 1, { by: 'ticket-scan' })] };
  }

  /** Announce a called ticket again; past the no-show limit it is set aside instead. */
  recall(ticketId: string, counter: string, now: Date): TicketMove {
    const t = this.today(ticketId, now);
    if ('ok' in t) return t;
    if (t.status !== 'called') return fail('CONFLICT', notCalled(t));
    if (t.round_calls >= this.noShowAfterCalls && !this.anyHandedOver(t)) {
      const { ticket, effect } = this.setAside(t, true);
      return { answer: { ok: true, ticket }, effects: [effect] };
    }
    const called = this.tickets.call(t.id, counter, now);
    return { answer: { ok: true, ticket: called }, effects: [callEffect(called, true, { recall: true })] };
  }

  noShow(ticketId: string, now: Date): TicketMove {
    const t = this.today(ticketId, now);
    if ('ok' in t) return t;
    if (t.status !== 'called') return fail('CONFLICT', notCalled(t));
    const { ticket, effect } = this.setAside(t, false);
    return { answer: { ok: true, ticket }, effects: [effect] };
  }

  requeue(ticketId: string, now: Date): TicketMove {
    const t = this.today(ticketId, now);
    if ('ok' in t) return t;
    if (t.status !== 'called' && t.status !== 'no-show') {
      return fail('CONFLICT', t.status === 'waiting' ? `${t.number} is already waiting in the queue.` : `${t.number} is ${statusWords(t.status)}: it cannot go back in the queue.`);
    }
    const back = this.tickets.requeue(t.id);
    return { answer: { ok: true, ticket: back }, effects: [{ type: 'record', kind: 'requeue', ticketId: back.id, number: back.number, extra: { from: t.status } }] };
  }

  cancel(ticketId: string, reason: string, now: Date): TicketMove {
    const t = this.today(ticketId, now);
    if ('ok' in t) return t;
    if (t.status === 'done' || t.status === 'cancelled') return fail('CONFLICT', `${t.number} is ${statusWords(t.status)} already.`);
    const cancelled = this.tickets.cancel(t.id, reason, now);
    return { answer: { ok: true, ticket: cancelled }, effects: [{ type: 'record', kind: 'cancel', ticketId: t.id, number: t.number, extra: { from: t.status, reason } }] };
  }

  private today(ticketId: string, now: Date): TicketRow | Fail {
    const row = this.tickets.get(ticketId);
    if (!row || row.office !== this.office) return fail('NOT_FOUND', 'There is no such ticket at this office.');
    if (row.day !== this.clock.day(now)) return fail('CONFLICT', `${row.number} was issued on ${row.day}: a ticket is only good for its day.`);
    return row;
  }

  private anyHandedOver(row: TicketRow): boolean {
    return this.tickets.items(row.id).some((i) => i.handedOverAt !== null);
  }

  /** The ticket set aside, and the effect to record. */
  private setAside(row: TicketRow, auto: boolean): { ticket: TicketRow; effect: QueueEffect } {
    const ticket = this.tickets.setAside(row.id);
    return { ticket, effect: { type: 'record', kind: 'no-show', ticketId: ticket.id, number: ticket.number, extra: auto ? { auto: true, calls: row.round_calls } : {} } };
  }
}

function callEffect(row: TicketRow, recall: boolean, extra: Record<string, unknown>): QueueEffect {
  return { type: 'call', ticketId: row.id, number: row.number, counter: row.counter, calls: row.calls, recall, extra };
}

/** The call a display announces for a call effect. */
export function announced(effect: Extract<QueueEffect, { type: 'call' }>, at: string): { number: string; counter: string; at: string; recall?: true } {
  return { number: effect.number, counter: effect.counter ?? '', at, ...(effect.recall ? { recall: true as const } : {}) };
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
