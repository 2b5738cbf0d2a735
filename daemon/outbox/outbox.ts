// The event outbox (docs/sync.md): pickups, registrations, password changes, tickets and rejected scans
// wait here until the hub has answered for them. add() is synchronous so it joins the transaction
// of the local effect; an event leaves only on an answer (applied, duplicate: done; conflict: moved
// to sync_conflicts for staff). Failures back off 1 s, 2 s, 4 s … up to 5 min, with jitter.
import type { Statement } from 'better-sqlite3';
import { EVENT_TYPES, type EventType } from '../../protocol/sync.js';
import { backoffMs } from '../../sync/client/backoff.js';
import { KioskError } from '../errors.js';
import type { Db } from '../store/db.js';

export const OUTBOX_TYPES = EVENT_TYPES;
export type OutboxType = EventType;

export const BACKOFF_FIRST_MS = 1000;
export const BACKOFF_MAX_MS = 5 * 60_000;

export interface OutboxEventInput {
  /** A UUID: the idempotency key at the hub. */
  id: string;
  type: OutboxType;
  /** When it happened on this device. */
  at: Date | string;
  data: Record<string, unknown>;
}

export interface OutboxEvent {
  id: string;
  type: OutboxType;
  at: string;
  data: Record<string, unknown>;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
}

export interface HubAnswer {
  id: string;
  status: 'applied' | 'duplicate' | 'conflict';
  detail?: unknown;
}

export interface AnswerSummary {
  /** Applied or duplicate: gone from the outbox. */
  done: string[];
  /** Moved to sync_conflicts. */
  conflicts: string[];
  /** Not in the outbox (answered before) or with an unknown status: left as they were. */
  ignored: string[];
}

export interface SyncConflict {
  id: string;
  type: OutboxType;
  at: string;
  data: Record<string, unknown>;
  detail: unknown;
  answeredAt: string;
}

export interface OutboxOptions {
  /** For the backoff jitter; [0, 1). */
  random?: () => number;
}

interface EventRow {
  id: string;
  type: OutboxType;
  at: string;
  data: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class Outbox {
  /** Called after an event is queued (the sync client sends at once rather than at its next check). */
  onAdded: () => void = () => {};
  private readonly random: () => number;
  private readonly eventById: Statement<[string], EventRow>;
  /** add() runs inside every scan's transaction: its statements are prepared once. */
  private readonly answeredBefore: Statement<[string, string]>;
  private readonly insertEvent: Statement<[string, string, string, string, string]>;

  constructor(
    private readonly db: Db,
    options: OutboxOptions = {},
  ) {
    this.random = options.random ?? Math.random;
    this.eventById = db.prepare('SELECT id, type, at, data, attempts, next_attempt_at, last_error FROM outbox_events WHERE id = ?');
    this.answeredBefore = db.prepare('SELECT 1 FROM outbox_sent WHERE id = ? UNION ALL SELECT 1 FROM sync_conflicts WHERE id = ?');
    this.insertEvent = db.prepare(
      `INSERT INTO outbox_events (id, type, at, data, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, 0)
       ON CONFLICT (id) DO NOTHING`,
    );
  }

  /** Queue an event; false when this id is already queued, answered or in conflict (nothing changes). */
  add(event: OutboxEventInput, now = new Date()): boolean {
    if (!UUID.test(event.id)) throw new KioskError(`outbox event id is not a UUID: ${event.id}`, 'BAD_REQUEST');
    if (!(OUTBOX_TYPES as readonly string[]).includes(event.type)) throw new KioskError(`unknown outbox event type ${event.type}`, 'BAD_REQUEST');
    const at = typeof event.at === 'string' ? new Date(event.at) : event.at;
    if (Number.isNaN(at.getTime())) throw new KioskError(`outbox event ${event.id}: bad time`, 'BAD_REQUEST');
    const id = event.id.toLowerCase();
    const added = this.db.transaction(() => {
      if (this.answeredBefore.get(id, id)) return false;
      const result = this.insertEvent.run(id, event.type, at.toISOString(), JSON.stringify(event.data ?? {}), now.toISOString());
      return result.changes > 0;
    })();
    if (added) this.onAdded();
    return added;
  }

  /** Events due for sending at `now`, oldest first. */
  pending(limit = 100, now = new Date()): OutboxEvent[] {
    return this.db
      .prepare<[number, number], EventRow>(
        'SELECT id, type, at, data, attempts, next_attempt_at, last_error FROM outbox_events WHERE next_attempt_at <= ? ORDER BY seq LIMIT ?',
      )
      .all(now.getTime(), Math.max(0, Math.floor(limit)))
      .map(fromRow);
  }

  /** When the next event falls due (now or in the past when one is due already); null when empty. */
  nextAttemptAt(): Date | null {
    const t = this.db.prepare<[], { t: number | null }>('SELECT min(next_attempt_at) AS t FROM outbox_events').get()?.t;
    return t == null ? null : new Date(t);
  }

  /** Apply the hub's answers, all in one transaction. */
  recordAnswers(results: readonly HubAnswer[], now = new Date()): AnswerSummary {
    const summary: AnswerSummary = { done: [], conflicts: [], ignored: [] };
    const answeredAt = now.toISOString();
    this.db.transaction(() => {
      for (const answer of results) {
        const row = typeof answer.id === 'string' ? this.eventById.get(answer.id.toLowerCase()) : undefined;
        if (!row || !['applied', 'duplicate', 'conflict'].includes(answer.status)) {
          summary.ignored.push(String(answer.id));
          continue;
        }
        if (answer.status === 'conflict') {
          this.db
            .prepare('INSERT INTO sync_conflicts (id, type, at, data, detail, answered_at) VALUES (?, ?, ?, ?, ?, ?)')
            .run(row.id, row.type, row.at, row.data, answer.detail === undefined ? null : JSON.stringify(answer.detail), answeredAt);
          summary.conflicts.push(row.id);
        } else {
          this.db
            .prepare('INSERT INTO outbox_sent (id, type, at, status, answered_at) VALUES (?, ?, ?, ?, ?)')
            .run(row.id, row.type, row.at, answer.status, answeredAt);
          summary.done.push(row.id);
        }
        this.db.prepare('DELETE FROM outbox_events WHERE id = ?').run(row.id);
      }
    })();
    return summary;
  }

  /** The hub refused this event for good: it is kept for staff as a conflict, and not sent again. */
  recordRefusal(id: string, reason: string, now = new Date()): void {
    this.recordAnswers([{ id, status: 'conflict', detail: { refusedByHub: reason } }], now);
  }

  /** The hub did not answer for these events (network, 5xx, no result): count an attempt and back off. */
  recordFailure(ids: readonly string[], error: unknown, now = new Date()): void {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const update = this.db.prepare('UPDATE outbox_events SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const id of ids) {
        const row = this.eventById.get(id.toLowerCase());
        if (!row) continue;
        const attempts = row.attempts + 1;
        update.run(attempts, now.getTime() + backoffMs(attempts, { firstMs: BACKOFF_FIRST_MS, maxMs: BACKOFF_MAX_MS, random: this.random }), message, row.id);
      }
    })();
  }

  /** The hub is back: every event backing off falls due now. */
  retryNow(now = new Date()): void {
    this.db.prepare('UPDATE outbox_events SET next_attempt_at = ? WHERE next_attempt_at > ?').run(now.getTime(), now.getTime());
  }

  /** How many events wait for an answer (due or backing off). */
  depth(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox_events').get()?.n ?? 0;
  }

  /** Unresolved conflicts, oldest answer first. */
  conflicts(): SyncConflict[] {
    return this.db
      .prepare<[], { id: string; type: OutboxType; at: string; data: string; detail: string | null; answered_at: string }>(
        'SELECT id, type, at, data, detail, answered_at FROM sync_conflicts WHERE resolved_at IS NULL ORDER BY answered_at, id',
      )
      .all()
      .map((r) => ({
        id: r.id,
        type: r.type,
        at: r.at,
        data: JSON.parse(r.data) as Record<string, unknown>,
        detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
        answeredAt: r.answered_at,
      }));
  }

  /** One conflict of this device's, resolved or not. */
  conflict(id: string): (SyncConflict & { resolved: boolean }) | undefined {
    const r = this.db
      .prepare<[string], { id: string; type: OutboxType; at: string; data: string; detail: string | null; answered_at: string; resolved_at: string | null }>(
        'SELECT id, type, at, data, detail, answered_at, resolved_at FROM sync_conflicts WHERE id = ?',
      )
      .get(id.toLowerCase());
    return r && { id: r.id, type: r.type, at: r.at, data: JSON.parse(r.data) as Record<string, unknown>, detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown), answeredAt: r.answered_at, resolved: r.resolved_at !== null };
  }

  /** Mark a conflict resolved by a staff member; false when it was resolved already. The row is kept. */
  resolveConflict(id: string, staffId: string, note: string, now = new Date()): boolean {
    const key = id.toLowerCase();
    const row = this.db.prepare<[string], { resolved_at: string | null }>('SELECT resolved_at FROM sync_conflicts WHERE id = ?').get(key);
    if (!row) throw new KioskError(`no sync conflict ${id}`, 'NOT_FOUND', { id });
    if (row.resolved_at !== null) return false;
    this.db
      .prepare('UPDATE sync_conflicts SET resolved_at = ?, resolved_by = ?, resolution_note = ? WHERE id = ? AND resolved_at IS NULL')
      .run(now.toISOString(), staffId, note, key);
    return true;
  }
}

function fromRow(r: EventRow): OutboxEvent {
  return {
    id: r.id,
    type: r.type,
    at: r.at,
    data: JSON.parse(r.data) as Record<string, unknown>,
    attempts: r.attempts,
    nextAttemptAt: new Date(r.next_attempt_at).toISOString(),
    lastError: r.last_error,
  };
}
