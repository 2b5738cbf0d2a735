// What the sync client needs from the kiosk it runs in, as interfaces: the daemon implements them
// over its SQLite cache and outbox, so sync/ depends on no daemon module (and tests can hand it
// real stores directly).
import type { ChangeRecord } from '../../protocol/feed-records.js';
import type { AuditHead, EventResult, EventType } from '../../protocol/sync.js';

/** Where the change feed lands: the kiosk's cache. Every method is one transaction. */
export interface FeedSink {
  /** The seq the next page starts after. */
  cursor(): number;
  /** The hub feed this cache follows; null before the first page. */
  feedId(): string | null;
  /**
   * Apply one page: its records, then the cursor (`next`, which covers a scoped feed's gaps) and,
   * when the page brings the kiosk up to date, the data's asOf (on this device's clock). A page
   * that completes a fresh snapshot also drops the rows the hub no longer has.
   */
  applyPage(page: { records: readonly ChangeRecord[]; next: number; feedId: string; asOf: Date | null; completesSnapshot: boolean }): void;
  /** The hub's feed is another one, or went backwards: start over from seq 0, keeping the old rows usable until the snapshot completes. */
  beginSnapshot(): void;
  /** A snapshot is under way (it survives restarts). */
  snapshotInProgress(): boolean;
}

export interface PendingEvent {
  id: string;
  type: EventType;
  at: string;
  data: Record<string, unknown>;
}

/** The outbox: events wait here until the hub has answered for them. */
export interface EventSource {
  /** Events due for sending now, oldest first. */
  pending(limit: number, now: Date): PendingEvent[];
  /** Applied and duplicate leave; conflicts go to staff. */
  recordAnswers(results: readonly EventResult[], now: Date): void;
  /** No answer for these (network, 5xx): count an attempt and back off. */
  recordFailure(ids: readonly string[], error: string, now: Date): void;
  /** The hub refused this event for good (400 for it alone): keep it for staff, never resend blindly. */
  recordRefusal(id: string, reason: string, now: Date): void;
  depth(): number;
  /** The hub answers again: make every waiting event due now instead of at its backoff. */
  retryNow(now: Date): void;
  /** When the next event falls due; null when empty. */
  nextAttemptAt(): Date | null;
}

export interface AuditHeadSource {
  head(): AuditHead | null;
}
