// Failed authentication throttled per source address: after `maxFailures` failures within
// `windowMs`, the address is answered 429 for `blockMs` without its tokens being looked at. The
// table is bounded (least recently failing addresses are forgotten first), so a flood of
// addresses cannot grow it without end. Per process: each hub process counts on its own.
export interface ThrottleOptions {
  maxFailures?: number;
  windowMs?: number;
  blockMs?: number;
  maxTracked?: number;
}

interface Entry {
  failures: number;
  windowStart: number;
  blockedUntil: number;
}

export class FailedAuthThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly blockMs: number;
  private readonly maxTracked: number;

  constructor(options: ThrottleOptions = {}, private readonly now: () => number = Date.now) {
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.blockMs = options.blockMs ?? 60_000;
    this.maxTracked = options.maxTracked ?? 10_000;
  }

  /** Milliseconds the address must still wait; 0 when it may try. */
  blockedFor(address: string): number {
    const entry = this.entries.get(address);
    return entry ? Math.max(0, entry.blockedUntil - this.now()) : 0;
  }

  failed(address: string): void {
    const now = this.now();
    let entry = this.entries.get(address);
    if (!entry || now - entry.windowStart > this.windowMs) entry = { failures: 0, windowStart: now, blockedUntil: 0 };
    entry.failures++;
    if (entry.failures >= this.maxFailures) entry.blockedUntil = now + this.blockMs;
    this.entries.delete(address); // re-inserted last: the map's order is least recently failing first
    this.entries.set(address, entry);
    if (this.entries.size > this.maxTracked) this.entries.delete(this.entries.keys().next().value as string);
  }
}
