// Who may try a PIN now. Failed sign-ins are counted per source address, per (id, source) and per
// id; the rules and their reasons are in README.md. State is in memory and bounded: unauthenticated
// requests write nothing to disk, and a restart (an operator's act) clears every lock.
import { KioskError } from '../errors.js';

export interface SignInLimits {
  windowMs: number;
  lockMs: number;
  perPair: number;
  perSource: number;
  perAccount: number;
  trustMs: number;
  maxEntries: number;
}

export const SIGN_IN_LIMITS: Readonly<SignInLimits> = {
  /** Failures are counted in windows of this length, starting at the first failure. */
  windowMs: 15 * 60_000,
  /** How long a lock lasts once a count reaches its limit. */
  lockMs: 15 * 60_000,
  /** Failures for one id from one source: the person who mistyped is locked out of that id there. */
  perPair: 5,
  /** Failures from one source, whatever the ids: a machine guessing across ids is cut off. */
  perSource: 20,
  /** Failures for one id from all sources: the backstop against guessing from many machines. */
  perAccount: 30,
  /** A source that signed in as an id within this time is not held by that id's account lock. */
  trustMs: 30 * 24 * 3_600_000,
  /** Entries kept per table; the oldest are forgotten first. */
  maxEntries: 4096,
};

/** The source of attempts made on the device itself (the CLI, tests without a socket). */
export const LOCAL_SOURCE = 'local';

/**
 * The source an address counts as: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by its /64, since one
 * machine can take any number of addresses in its own /64 but not outside it.
 */
export function sourceOf(address: string | undefined): string {
  if (!address) return LOCAL_SOURCE;
  const a = address.toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return mapped[1]!;
  if (!a.includes(':')) return a;
  const [head = '', tail] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16)).join(':')}::/64`;
}

interface Count {
  failures: number;
  windowStart: number;
  lockedUntil: number | null;
}

/** Failure counts under one key kind, with a lock at `limit`. */
class FailureCounts {
  private readonly counts = new Map<string, Count>();

  constructor(
    private readonly limit: number,
    private readonly limits: SignInLimits,
  ) {}

  /** When the key's lock ends, or null when it is not locked at `t`. */
  lockedUntil(key: string, t: number): number | null {
    const until = this.counts.get(key)?.lockedUntil;
    return until != null && until > t ? until : null;
  }

  add(key: string, t: number): void {
    const c = this.counts.get(key);
    // A new window starts only once the old one is over and its lock too: a lock outlives its window.
    if (!c || (t - c.windowStart >= this.limits.windowMs && (c.lockedUntil ?? 0) <= t)) {
      this.makeRoom(t);
      this.counts.delete(key); // re-inserted last, so the oldest entries stay first
      this.counts.set(key, { failures: 1, windowStart: t, lockedUntil: this.limit <= 1 ? t + this.limits.lockMs : null });
      return;
    }
    c.failures++;
    if (c.failures >= this.limit && c.lockedUntil === null) c.lockedUntil = t + this.limits.lockMs;
  }

  /** Take back a failure counted in advance that was not one (a success, or a check never made). */
  remove(key: string): void {
    const c = this.counts.get(key);
    if (!c) return;
    c.failures = Math.max(0, c.failures - 1);
    if (c.failures < this.limit) c.lockedUntil = null;
  }

  delete(key: string): void {
    this.counts.delete(key);
  }

  private makeRoom(t: number): void {
    if (this.counts.size < this.limits.maxEntries) return;
    for (const [key, c] of this.counts) {
      if (t - c.windowStart >= this.limits.windowMs && (c.lockedUntil ?? 0) <= t) this.counts.delete(key);
    }
    // Still full: forget the oldest. Filling the table takes many sources, each held by perSource.
    while (this.counts.size >= this.limits.maxEntries) this.counts.delete(this.counts.keys().next().value!);
  }
}

/** One admitted attempt: report how its PIN check ended. */
export interface SignInAttempt {
  /** The source signed in as this id before (within trustMs): its check may go first. */
  readonly trusted: boolean;
  succeeded(t: number): void;
  /** The error to answer a wrong PIN with: UNAUTHORIZED, or LOCKED_OUT when this failure locked something. */
  failed(t: number): KioskError;
  /** The PIN was never checked (the checks were busy): nothing is counted. */
  cancelled(): void;
}

type Scope = 'source' | 'pair' | 'account';

const LOCK_MESSAGES: Record<Scope, string> = {
  source: 'too many failed sign-ins from this device',
  pair: 'too many failed sign-ins for this staff id on this device',
  account: 'too many failed sign-ins for this staff id',
};

export class SignInThrottle {
  private readonly sources: FailureCounts;
  private readonly pairs: FailureCounts;
  private readonly accounts: FailureCounts;
  /** (id, source) → when it last signed in: that source is not held by the id's account lock. */
  private readonly trusted = new Map<string, number>();

  constructor(private readonly limits: SignInLimits = SIGN_IN_LIMITS) {
    this.sources = new FailureCounts(limits.perSource, limits);
    this.pairs = new FailureCounts(limits.perPair, limits);
    this.accounts = new FailureCounts(limits.perAccount, limits);
  }

  /**
   * Admit an attempt or throw LOCKED_OUT (context: retryAfterSeconds, pinChecked false). An admitted
   * attempt is counted as a failure at once, before its PIN check, so parallel guesses cannot get
   * past a limit; success or cancellation takes it back.
   */
  admit(source: string, staffId: string, t: number): SignInAttempt {
    const pair = `${staffId}\u0000${source}`;
    const isTrusted = (this.trusted.get(pair) ?? -Infinity) > t - this.limits.trustMs;
    const locked = (): KioskError | null => this.lockError(source, pair, staffId, isTrusted, t);
    const refusal = locked();
    if (refusal) throw refusal;
    this.sources.add(source, t);
    this.pairs.add(pair, t);
    this.accounts.add(staffId, t);
    return {
      trusted: isTrusted,
      succeeded: (at) => {
        this.sources.remove(source);
        this.accounts.remove(staffId);
        this.pairs.delete(pair);
        this.trust(pair, at);
      },
      failed: (at) => {
        const lock = this.lockError(source, pair, staffId, isTrusted, at);
        if (!lock) return new KioskError('wrong staff id or PIN', 'UNAUTHORIZED', { pinChecked: true });
        return new KioskError(lock.message, 'LOCKED_OUT', { ...lock.context, pinChecked: true });
      },
      cancelled: () => {
        this.sources.remove(source);
        this.pairs.remove(pair);
        this.accounts.remove(staffId);
      },
    };
  }

  private lockError(source: string, pair: string, staffId: string, isTrusted: boolean, t: number): KioskError | null {
    const locks: [Scope, number | null][] = [
      ['source', this.sources.lockedUntil(source, t)],
      ['pair', this.pairs.lockedUntil(pair, t)],
      ['account', isTrusted ? null : this.accounts.lockedUntil(staffId, t)],
    ];
    const held = locks.filter((l): l is [Scope, number] => l[1] !== null);
    if (held.length === 0) return null;
    const [scope, until] = held.reduce((a, b) => (b[1] > a[1] ? b : a));
    const retryAfterSeconds = Math.ceil((until - t) / 1000);
    return new KioskError(`${LOCK_MESSAGES[scope]}; try again in ${Math.ceil(retryAfterSeconds / 60)} min`, 'LOCKED_OUT', { retryAfterSeconds, scope, pinChecked: false });
  }

  private trust(pair: string, t: number): void {
    this.trusted.delete(pair);
    if (this.trusted.size >= this.limits.maxEntries) this.trusted.delete(this.trusted.keys().next().value!);
    this.trusted.set(pair, t);
  }
}
