// A ticket whose items can no longer be handed over leaves the queue by itself: its applications
// were collected elsewhere (on another ticket, at another device), withdrawn or rejected. A handover
// settles at once, in its own transaction; what the feed changes (the hub's pages, `kiosk import`
// from another process) is noticed by a light poll of the feed position.
import type { Statement } from 'better-sqlite3';
import type { DaemonContext } from '../context.js';
import { isBusy } from '../store/db.js';
import type { TicketRow } from './tickets.js';

/** How often the feed position is compared (one indexed read). */
const POLL_MS = 2_000;

/** Close today's tickets with nothing left, with their audit rows. Call inside a transaction. */
export function settleQueue(ctx: DaemonContext, now: Date): TicketRow[] {
  const closed = ctx.tickets.settle(ctx.config.office, now);
  for (const t of closed) auditSettled(ctx, t, now);
  return closed;
}

/** The audit row of a ticket that left the queue by itself. Call inside a transaction. */
export function auditSettled(ctx: DaemonContext, t: TicketRow, now: Date): void {
  const data = { ticketId: t.id, number: t.number, status: t.status, closedBy: 'settled', ...(t.cancel_reason ? { reason: t.cancel_reason } : {}) };
  ctx.audit.append({ type: 'ticket', deviceId: ctx.config.deviceId, at: now, data });
}

export class TicketSettler {
  private timer: NodeJS.Timeout | undefined;
  private lastSeen: string | null = null;
  private readonly feedPosition: Statement<[], { v: string | null }>;

  constructor(private readonly ctx: DaemonContext) {
    this.feedPosition = ctx.cache.db.prepare("SELECT group_concat(key || '=' || value, ';') AS v FROM cache_meta WHERE key IN ('cursor', 'asOf', 'feedId')");
  }

  start(): void {
    this.check();
    this.timer = setInterval(() => this.check(), POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Settle when the feed moved since the last look; a lock held by another process just waits for the next. */
  check(): void {
    try {
      const position = this.feedPosition.get()?.v ?? '';
      if (position === this.lastSeen) return;
      const now = this.ctx.now();
      if (this.ctx.tickets.unsettled(this.ctx.config.office, now)) {
        const closed = this.ctx.cache.db.transaction(() => settleQueue(this.ctx, now))();
        if (closed.length > 0) this.ctx.bus.emit('stateChanged');
      }
      this.lastSeen = position;
    } catch (e) {
      if (!isBusy(e)) this.ctx.logger.error({ err: e }, 'settling the ticket queue failed');
    }
  }
}
