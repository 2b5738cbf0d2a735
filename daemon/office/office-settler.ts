// A ticket whose items can no longer be handed over leaves the office queue by itself, as on one
// machine (counter/ticket-settler.ts): the queue holder looks at its own cache every few seconds
// and, when some open ticket holds nothing left, puts a `settle` command in the office log. Only
// the holder proposes, so the stations do not all close the same tickets at once; the command
// names the tickets, so every station closes the same ones.
import { randomUUID } from 'node:crypto';
import type { DaemonContext } from '../context.js';
import { auditSettled } from '../counter/ticket-settler.js';
import { isKioskError } from '../errors.js';
import type { OfficeQueue } from './office-queue.js';

const POLL_MS = 2_000;

export class OfficeSettler {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly ctx: DaemonContext,
    private readonly office: OfficeQueue,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check(), POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async check(): Promise<void> {
    if (this.busy || this.office.raft()?.status().role !== 'leader') return;
    this.busy = true;
    try {
      const { tickets, config } = this.ctx;
      const now = this.ctx.now();
      const closes = tickets.settleable(config.office, now);
      if (closes.length === 0) return;
      const applied = await this.office.propose({ type: 'settle', id: `${config.deviceId}:settle:${randomUUID()}`, closes: closes.slice(0, 1000) }, POLL_MS);
      if (applied.type !== 'settle' || applied.closed.length === 0) return;
      this.ctx.cache.db.transaction(() => {
        for (const id of applied.closed) auditSettled(this.ctx, tickets.get(id)!, now);
      })();
    } catch (e) {
      if (!isKioskError(e, 'QUEUE_UNAVAILABLE')) this.ctx.logger.error({ err: e }, 'office queue: settling failed');
    } finally {
      this.busy = false;
    }
  }
}
