// A bound on expensive work in flight (scrypt PIN checks): `limit` run at once, `maxWaiting` wait
// in order, and anything beyond is refused at once with BUSY instead of queueing without end.
// Priority work (a sign-in from a machine that signed in as that id before) has its own short
// line, served first, so a flood from many machines cannot keep the counter's clerk out.
import { KioskError } from '../errors.js';

export class WorkGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly priorityWaiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxWaiting: number,
    private readonly maxPriorityWaiting = 0,
  ) {}

  /** Run `work` when a slot is free; rejects with BUSY (retryAfterSeconds 1) at once when its line is full. */
  run<T>(work: () => Promise<T>, { priority = false }: { priority?: boolean } = {}): Promise<T> {
    if (this.running < this.limit) {
      this.running++;
      return this.execute(work);
    }
    const line = priority ? this.priorityWaiting : this.waiting;
    if (line.length >= (priority ? this.maxPriorityWaiting : this.maxWaiting)) {
      return Promise.reject(new KioskError('the kiosk is busy checking other sign-ins; try again in a moment', 'BUSY', { retryAfterSeconds: 1 }));
    }
    return new Promise<void>((resolve) => line.push(resolve)).then(() => this.execute(work));
  }

  /** Work running and waiting now (for tests and metrics). */
  load(): { running: number; waiting: number; priorityWaiting: number } {
    return { running: this.running, waiting: this.waiting.length, priorityWaiting: this.priorityWaiting.length };
  }

  private async execute<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line, so a newcomer cannot slip in between.
      const next = this.priorityWaiting.shift() ?? this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
