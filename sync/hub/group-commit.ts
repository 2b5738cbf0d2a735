// Events batches arriving together are judged and stored in one transaction: while one group
// commits (and waits for its fsync), the next gathers. Each batch keeps its own answers, and the
// batches of a group are judged in arrival order, so the outcome is what one-by-one would give.
// One commit per group instead of per request is what lets 200 kiosks post at once.
import type { EventResult } from '../../protocol/sync.js';
import type { EventBatch, HubStore } from './types.js';

/** A group stops growing at this many events (one transaction stays short). */
const MAX_GROUP_EVENTS = 5000;

interface Waiting {
  batch: EventBatch;
  resolve(answer: { results: EventResult[]; hubTime: Date }): void;
  reject(error: unknown): void;
}

export class EventGroups {
  private readonly queue: Waiting[] = [];
  private running = false;

  constructor(
    private readonly store: HubStore,
    private readonly now: () => Date,
  ) {}

  submit(batch: EventBatch): Promise<{ results: EventResult[]; hubTime: Date }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ batch, resolve, reject });
      if (this.running) return;
      this.running = true;
      // Start after this turn's I/O: every request read in the same turn joins the first group.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.take();
        const hubTime = this.now();
        try {
          const results = await this.store.recordEvents(
            group.map((w) => w.batch),
            hubTime,
          );
          group.forEach((w, i) => w.resolve({ results: results[i] ?? [], hubTime }));
        } catch (e) {
          for (const w of group) w.reject(e);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private take(): Waiting[] {
    let events = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || events + this.queue[n]!.batch.request.events.length <= MAX_GROUP_EVENTS)) {
      events += this.queue[n]!.batch.request.events.length;
      n++;
    }
    return this.queue.splice(0, n);
  }
}
