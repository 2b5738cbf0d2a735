// Sync protocol v1 between a kiosk and its upstream hub (docs/sync.md), as zod schemas both sides
// validate with. Browser-safe (zod only). Two one-way streams, each safe to retry:
//   down: GET  /sync/v1/changes  – the change feed, paged and long-polled;
//   up:   POST /sync/v1/events   – the outbox, in batches, idempotent on each event's id.
// And GET /sync/v1/audit-head: the device's latest audit head as the hub holds it.
import { z } from 'zod';
import { checkRecord, type ChangeRecord } from './feed-records.js';

export const SYNC_CHANGES_PATH = '/sync/v1/changes';
export const SYNC_EVENTS_PATH = '/sync/v1/events';
export const SYNC_AUDIT_HEAD_PATH = '/sync/v1/audit-head';

/** Longest long-poll a hub honours (seconds); a larger `wait` is clamped. */
export const MAX_WAIT_SECONDS = 30;
/** Largest page a hub serves; a larger `limit` is clamped. */
export const MAX_PAGE_LIMIT = 10_000;
/** Largest batch of events a hub accepts in one POST. */
export const MAX_EVENTS_PER_BATCH = 500;

const isoTime = z.iso.datetime({ offset: true });
const seq = z.number().int().min(0);

/** Query of GET /sync/v1/changes. `office` leaves out other offices' applications. */
export const changesQuery = z.object({
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).default(1000),
  wait: z.coerce.number().min(0).default(0),
  office: z.string().regex(/^[0-9A-Za-z-]{1,16}$/).optional(),
});
export type ChangesQuery = z.infer<typeof changesQuery>;

/**
 * A page of the change feed. `changes` are in seq order; `next` is the cursor to ask with next
 * time (the last seq this page covers, gaps included); `more` says another page is ready now.
 * `head` is the hub's latest seq: a head below the kiosk's cursor means the hub went backwards
 * (restored from a backup) and the kiosk must take a fresh snapshot. `feedId` names the hub's
 * feed; a different one means another feed altogether (fresh snapshot too).
 */
export const changesPageEnvelope = z.object({
  feedId: z.string().min(1),
  asOf: isoTime,
  hubTime: isoTime,
  head: seq,
  next: seq,
  more: z.boolean(),
  /** Checked record by record with checkRecord(), so one bad record is reported by its seq. */
  changes: z.array(z.unknown()),
});

export interface ChangesPage {
  feedId: string;
  asOf: string;
  hubTime: string;
  head: number;
  next: number;
  more: boolean;
  changes: ChangeRecord[];
}

export type PageCheck = { ok: true; page: ChangesPage } | { ok: false; error: string };

/** Validate a parsed page body: the envelope, then every record (the first bad one is named). */
export function checkChangesPage(raw: unknown): PageCheck {
  const env = changesPageEnvelope.safeParse(raw);
  if (!env.success) return { ok: false, error: `not a changes page: ${env.error.issues[0]?.path.join('.') ?? ''} ${env.error.issues[0]?.message ?? ''}`.trim() };
  const changes: ChangeRecord[] = [];
  let last = -1;
  for (const raw of env.data.changes) {
    const checked = checkRecord(raw);
    if (!checked.ok) {
      const s = (raw as { seq?: unknown } | null)?.seq;
      return { ok: false, error: `record ${typeof s === 'number' ? `seq ${s}` : `#${changes.length + 1}`}: ${checked.error}` };
    }
    if (checked.record.seq <= last) return { ok: false, error: `record seq ${checked.record.seq} is out of order` };
    last = checked.record.seq;
    changes.push(checked.record);
  }
  if (last > env.data.next) return { ok: false, error: `next ${env.data.next} is behind record seq ${last}` };
  return { ok: true, page: { ...env.data, changes } };
}

/** docs/sync.md's event types, plus `staff-action` (calls, reprints, lookups, conflict resolutions). */
export const EVENT_TYPES = ['pickup', 'registration', 'password-change', 'ticket', 'rejected-scan', 'staff-action'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const syncEvent = z.object({
  /** A UUID: the idempotency key at the hub. */
  id: z.uuid(),
  type: z.enum(EVENT_TYPES),
  /** When it happened, by the device's clock at the time. */
  at: isoTime,
  /** The device's clock when it sent the batch: the hub records it beside its own. */
  deviceTime: isoTime,
  data: z.record(z.string(), z.unknown()),
});
export type SyncEvent = z.infer<typeof syncEvent>;

export const auditHead = z.object({ seq: seq, hash: z.string().regex(/^[0-9a-f]{64}$/) });
export type AuditHead = z.infer<typeof auditHead>;

export const eventsRequest = z.object({
  deviceId: z.string().regex(/^[\w.-]{1,64}$/),
  office: z.string().regex(/^[0-9A-Za-z-]{1,16}$/),
  /** The device's latest audit chain position; null before its first audit row. */
  auditHead: auditHead.nullable(),
  events: z.array(syncEvent).max(MAX_EVENTS_PER_BATCH),
});
export type EventsRequest = z.infer<typeof eventsRequest>;

export const EVENT_STATUSES = ['applied', 'duplicate', 'conflict'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const eventResult = z.object({ id: z.string(), status: z.enum(EVENT_STATUSES), detail: z.unknown().optional() });
export type EventResult = z.infer<typeof eventResult>;

export const eventsResponse = z.object({ hubTime: isoTime, results: z.array(eventResult) });
export type EventsResponse = z.infer<typeof eventsResponse>;

/**
 * GET /sync/v1/audit-head: the latest audit head the hub holds for the authenticated device (`at`:
 * when the hub received it), so `kiosk audit verify` can tell rows cut off the end of its local
 * log. 404 NOT_FOUND while the hub holds none. The hub never lowers it.
 */
export const auditHeadResponse = z.object({ deviceId: z.string(), seq: seq, hash: z.string().regex(/^[0-9a-f]{64}$/), at: isoTime, hubTime: isoTime });
export type AuditHeadResponse = z.infer<typeof auditHeadResponse>;

/**
 * Every error answer: `{ error: { code, message } }` with an HTTP status. 401 TOKEN_INVALID
 * (unknown or revoked token: the kiosk goes on offline and says why), 403 OFFICE_FORBIDDEN (the
 * token is bound to another office), 400 BAD_REQUEST, 413 TOO_LARGE, 5xx the hub's own trouble.
 * The reference hub also answers 403 DEVICE_FORBIDDEN (an events body for another device), 404
 * NOT_FOUND, 429 THROTTLED (with Retry-After) and 503 UNAVAILABLE; its error bodies carry `hubTime`.
 */
export const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }), hubTime: isoTime.optional() });
export type ErrorBody = z.infer<typeof errorBody>;
