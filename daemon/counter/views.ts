// Read models the screens get: a ticket with its items, and the counter's state.
import type { CounterState, TicketView } from '../../protocol/events.js';
import type { DaemonContext } from '../context.js';
import { isClosed } from '../core/handover-check.js';
import { toVerdictApplication } from '../core/verify.js';
import type { TicketRow } from './tickets.js';

export function ticketView(ctx: DaemonContext, row: TicketRow): TicketView {
  const items = ctx.tickets.items(row.id).flatMap(({ receiptNumber, handedOverAt }) => {
    const app = ctx.cache.view.application(receiptNumber);
    return app ? [{ ...toVerdictApplication(app), handedOver: handedOverAt !== null, status: app.status, closed: isClosed(app.status) }] : [];
  });
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    issuedAt: row.issued_at,
    calledAt: row.called_at,
    counter: row.counter,
    calls: row.calls,
    codeType: row.code_type,
    receiverNameMasked: row.receiver_name_masked,
    items,
    cancelReason: row.cancel_reason,
  };
}

/** A counter screen shows the head of the queue (no-shows too, to put back or cancel); the waiting count is in KioskState. */
export const COUNTER_QUEUE_LIMIT = 100;

export function counterState(ctx: DaemonContext): CounterState {
  const now = ctx.now();
  return {
    queue: ctx.tickets.open(ctx.config.office, now, COUNTER_QUEUE_LIMIT).map((row) => ticketView(ctx, row)),
    conflicts: ctx.outbox.conflicts().map((c) => ({ id: c.id, type: c.type, at: c.at, detail: c.detail })),
    outboxDepth: ctx.outbox.depth(),
  };
}
