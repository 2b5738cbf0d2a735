// Backoff for reopening a device that went away: min, doubling, capped at max.
export interface BackoffOptions {
  minMs?: number;
  maxMs?: number;
}

export class Backoff {
  private readonly min: number;
  private readonly max: number;
  private next: number;

  constructor(opts: BackoffOptions = {}) {
    this.min = opts.minMs ?? 100;
    this.max = opts.maxMs ?? 1000;
    this.next = this.min;
  }

  /** The delay to wait now; the following call returns twice as much, up to max. */
  delay(): number {
    const d = this.next;
    this.next = Math.min(this.max, this.next * 2);
    return d;
  }

  reset(): void {
    this.next = this.min;
  }
}
