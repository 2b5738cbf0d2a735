// A counter's queue actions when the queue is the office's (KIOSK_QUEUE not local): the same
// requests as queue-actions.ts, but the move is a command in the office log, applied on every
// station; this station then records what it did (audit, upstream) and answers with the ticket as
// its own copy of the queue shows it. Without a majority nothing is called: QUEUE_UNAVAILABLE.
import type { ActionAck, TicketView } from '../../protocol/events.js';
import type { DaemonContext } from '../context.js';
import { fail, type Actor, type Fail, type StaffRequest } from '../counter/action-runner.js';
import type { StaffActions } from '../counter/staff-actions.js';
import { ticketView } from '../counter/views.js';
import { isKioskError } from '../errors.js';
import { retryWhileBusy } from '../store/db.js';
import type { OfficeCommand } from './commands.js';
import type { OfficeQueue } from './office-queue.js';

/** How long a counter waits for the office log before saying it cannot call now. */
export const COUNTER_QUEUE_DEADLINE_MS = 2_500;

type TicketAck = ActionAck<{ ticket: TicketView }>;

export class OfficeQueueActions {
  constructor(
    private readonly ctx: DaemonContext,
    private readonly actions: StaffActions,
    private readonly office: OfficeQueue,
  ) {}

  callNext(actor: Actor, id: string, counter: string): Promise<{ ticket: TicketView | null } | Fail> {
    const request = { id, kind: 'call-next', payload: { counter }, facts: { counter: counter.slice(0, 32) } };
    return this.move(actor, request, counter, { type: 'call-next', id: this.key(id), counter }, (view) => ({ ticket: view }));
  }

  recall(actor: Actor, id: string, ticketId: string, counter: string): Promise<TicketAck> {
    const request = { id, kind: 'recall', payload: { ticketId, counter }, facts: { ticketId, counter: counter.slice(0, 32) } };
    return this.move(actor, request, counter, { type: 'recall', id: this.key(id), ticketId, counter }, ticketAck);
  }

  noShow(actor: Actor, id: string, ticketId: string): Promise<TicketAck> {
    return this.move(actor, { id, kind: 'no-show', payload: { ticketId }, facts: { ticketId } }, null, { type: 'no-show', id: this.key(id), ticketId }, ticketAck);
  }

  requeue(actor: Actor, id: string, ticketId: string): Promise<TicketAck> {
    return this.move(actor, { id, kind: 'requeue', payload: { ticketId }, facts: { ticketId } }, null, { type: 'requeue', id: this.key(id), ticketId }, ticketAck);
  }

  cancel(actor: Actor, id: string, ticketId: string, reason: string): Promise<TicketAck> {
    const request = { id, kind: 'cancel', payload: { ticketId, reason }, facts: { ticketId, reason } };
    return this.move(actor, request, null, { type: 'cancel', id: this.key(id), ticketId, reason }, ticketAck);
  }

  /** A ticket QR scanned at a counter: called to it through the office log (shown only, when that cannot be reached). */
  async callByTicketScan(actor: Actor, ticketId: string, counter: string | null): Promise<TicketView | null> {
    const row = this.ctx.tickets.get(ticketId);
    if (!counter || !row || (row.status !== 'waiting' && row.status !== 'no-show')) return row ? ticketView(this.ctx, row) : null;
    try {
      const applied = await this.office.propose({ type: 'call', id: this.key(`scan:${ticketId}:${row.calls}`), ticketId, counter }, COUNTER_QUEUE_DEADLINE_MS);
      if (applied.type === 'move') await this.record(actor, applied.effects);
    } catch (e) {
      if (!isKioskError(e, 'QUEUE_UNAVAILABLE')) throw e;
    }
    const now = this.ctx.tickets.get(ticketId);
    return now ? ticketView(this.ctx, now) : null;
  }

  private async move<T extends object>(actor: Actor, request: StaffRequest, counter: string | null, command: OfficeCommand, answer: (view: TicketView | null) => T): Promise<T | Fail> {
    const { runner } = this.actions;
    const earlier = runner.results.previous<T | Fail>({ id: request.id, kind: request.kind, staffId: actor.staffId, payload: request.payload });
    if (earlier) return earlier;
    const refused = counter === null ? null : this.actions.queue.counterProblem(counter);
    if (refused) return this.answer(actor, request, () => refused);
    try {
      const applied = await this.office.propose(command, COUNTER_QUEUE_DEADLINE_MS);
      if (applied.type !== 'move') throw new Error(`the office log answered a ${command.type} with ${applied.type}`);
      if (applied.refused) return this.answer(actor, request, () => ({ ok: false, error: applied.refused! }));
      const row = applied.ticketId ? this.ctx.tickets.get(applied.ticketId) : undefined;
      const result = answer(row ? ticketView(this.ctx, row) : null);
      return await this.answer(actor, request, () => {
        this.actions.queue.recordEffects(actor, applied.effects, this.ctx.now());
        return result;
      });
    } catch (e) {
      if (!isKioskError(e, 'QUEUE_UNAVAILABLE')) throw e;
      // Not remembered for the id: the same request may go through once the office log is back.
      this.actions.runner.refused(actor, request.kind, request.id, { code: 'QUEUE_UNAVAILABLE', message: e.message }, request.facts);
      return fail('QUEUE_UNAVAILABLE', 'The office queue cannot be reached from this counter just now: tickets cannot be called here. You can still hand items over.');
    }
  }

  /** Record and remember the answer (idempotent on the action id), waiting out another process's write lock. */
  private answer<T>(actor: Actor, request: StaffRequest, action: () => T): Promise<T> {
    return retryWhileBusy(() => this.actions.runner.run(actor, request, action));
  }

  private record(actor: Actor, effects: Parameters<StaffActions['queue']['recordEffects']>[1]): Promise<unknown> {
    return retryWhileBusy(() => this.ctx.cache.db.transaction(() => this.actions.queue.recordEffects(actor, effects, this.ctx.now()))());
  }

  /** Action ids are the client's: the station's id keeps two stations' apart in the office log. */
  private key(id: string): string {
    return `${this.ctx.config.deviceId}:${id}`;
  }
}

function ticketAck(view: TicketView | null): TicketAck {
  return view ? { ok: true, ticket: view } : fail('NOT_FOUND', 'There is no such ticket at this office.');
}
