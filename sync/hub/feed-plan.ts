// The compacted feed, written once for both engines: one row per (entity, id) holding its latest
// op and data under a new global seq on every change (deletes stay as tombstones). This module
// decides, from the rows a batch touches, which rows to write; the engines only read and write.
import { canonicalJson } from '../../daemon/audit/canonical.js';
import type { ChangeRecord, Entity } from '../../protocol/feed-records.js';
import type { FeedWake, PageQuery } from './types.js';

/** A feed row as stored: `data` is canonical JSON text (sorted keys), null for a tombstone. */
export interface FeedRow {
  seq: number;
  entity: Entity;
  id: string;
  op: 'upsert' | 'delete';
  /** The application's office; null for every other entity (they reach every office). */
  office: string | null;
  /** The last office this application moved away from, so kiosks there learn it left. */
  prevOffice: string | null;
  data: string | null;
}

export type RowState = Omit<FeedRow, 'entity' | 'id'>;

export interface PasswordVersionChange {
  receiverId: string;
  version: number;
  /** null: before the hub knew the receiver (its first record already carried this version). */
  changedAt: string | null;
}

export interface PublishPlan {
  writes: FeedRow[];
  unchanged: number;
  head: number;
  passwordVersions: PasswordVersionChange[];
  wake: WakeCollector;
}

export const rowKey = (entity: string, id: string) => `${entity}\u0000${id}`;

/** Later records for the same (entity, id) replace earlier ones, in the order of their last appearance. */
export function lastPerKey(records: readonly ChangeRecord[]): ChangeRecord[] {
  const byKey = new Map<string, ChangeRecord>();
  for (const record of records) {
    const key = rowKey(record.entity, record.id);
    byKey.delete(key);
    byKey.set(key, record);
  }
  return [...byKey.values()];
}

/** Gathers which offices a transaction's writes concern, for waking long-polls. */
export class WakeCollector {
  private readonly offices = new Set<string>();
  private everyone = false;
  private any = false;

  add(row: Pick<FeedRow, 'entity' | 'office' | 'prevOffice'>): void {
    this.any = true;
    if (row.entity !== 'application') this.everyone = true;
    if (row.office) this.offices.add(row.office);
    if (row.prevOffice) this.offices.add(row.prevOffice);
    if (row.entity === 'application' && !row.office) this.everyone = true;
  }

  merge(other: WakeCollector): void {
    if (!other.any) return;
    this.any = true;
    this.everyone ||= other.everyone;
    for (const office of other.offices) this.offices.add(office);
  }

  /** null when nothing was written. */
  result(): FeedWake | null {
    if (!this.any) return null;
    return this.everyone ? { all: true } : { offices: this.offices };
  }
}

/**
 * Plan the writes for records (already deduplicated by lastPerKey) given the rows they touch now.
 * A record equal to its row changes nothing, so publishing the same file twice is harmless.
 */
export function planPublish(records: readonly ChangeRecord[], existing: ReadonlyMap<string, RowState>, head: number, now: Date): PublishPlan {
  const writes: FeedRow[] = [];
  const passwordVersions: PasswordVersionChange[] = [];
  const wake = new WakeCollector();
  let unchanged = 0;
  let seq = head;
  for (const record of records) {
    const before = existing.get(rowKey(record.entity, record.id));
    const data = record.op === 'upsert' ? canonicalJson(record.data) : null;
    if (before && before.op === record.op && before.data === data) {
      unchanged++;
      continue;
    }
    let office: string | null = null;
    let prevOffice: string | null = null;
    if (record.entity === 'application') {
      office = record.op === 'upsert' ? record.data.office : (before?.office ?? null);
      prevOffice = before?.office && before.office !== office ? before.office : (before?.prevOffice ?? null);
    }
    if (record.entity === 'receiver' && record.op === 'upsert') {
      const previous = before?.op === 'upsert' && before.data ? (JSON.parse(before.data) as { passwordVersion?: number }).passwordVersion : undefined;
      const version = record.data.passwordVersion;
      if (previous === undefined || version > previous) {
        passwordVersions.push({ receiverId: record.id, version, changedAt: previous === undefined ? null : now.toISOString() });
      }
    }
    const row: FeedRow = { seq: ++seq, entity: record.entity, id: record.id, op: record.op, office, prevOffice, data };
    writes.push(row);
    wake.add(row);
  }
  return { writes, unchanged, head: seq, passwordVersions, wake };
}

/** `asOf` of a meta/feed record's data text, if it carries one. */
export function metaAsOf(data: string | null | undefined): string | null {
  if (!data) return null;
  const asOf = (JSON.parse(data) as { asOf?: unknown }).asOf;
  return typeof asOf === 'string' ? asOf : null;
}

/** Where a page ends: a full page with more behind it points at its last record, else at the head. */
export function pageEnd(query: PageQuery, head: number, count: number, last: number | null, moreFollow: boolean): { more: boolean; next: number } {
  const more = count >= query.limit && moreFollow;
  // `next` covers the gaps: with nothing more to read, everything up to head has been seen.
  return { more, next: more && last !== null ? last : Math.max(query.since, head) };
}

/**
 * A feed row as its record's JSON, built by the database from the stored data text (never parsed
 * and re-stringified). `quote` is the engine's JSON string quoting function.
 */
export const recordJsonSql = (quote: (expr: string) => string) =>
  `'{"seq":' || seq || ',"entity":"' || entity || '","id":' || ${quote('id')} || ',"op":"' || op || '","data":' || coalesce(data, 'null') || '}'`;

/** Rows of the office's feed: other offices' applications left out (and kept for the office they left). */
export const OFFICE_SCOPE_SQL = (param: string) => `(office IS NULL OR office = ${param} OR prev_office = ${param})`;
