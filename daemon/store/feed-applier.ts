// Applies change-feed records to the cache. Written once for every entity: each entity only
// supplies its table, key column and row values (as libpretixsync's BaseDownloadSyncAdapter).
// A record older (lower seq) than what a row already holds is ignored, so re-applying a page, or
// records arriving out of order, change nothing.
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';
import type { ChangeRecord, Entity } from '../../protocol/feed-records.js';

type UpsertRecord<E extends Entity> = Extract<ChangeRecord, { entity: E; op: 'upsert' }>;
type RowEntity = Exclude<Entity, 'meta'>;

interface EntityAdapter<E extends RowEntity> {
  table: string;
  keyColumn: string;
  columns: readonly string[];
  values(record: UpsertRecord<E>): unknown[];
}

const toSeconds = (iso: string | null | undefined) => (iso ? Math.floor(Date.parse(iso) / 1000) : null);

const adapters: { [E in RowEntity]: EntityAdapter<E> } = {
  office: { table: 'offices', keyColumn: 'code', columns: ['name_ja', 'name_en'], values: (r) => [r.data.name.ja, r.data.name.en] },
  procedureType: { table: 'procedure_types', keyColumn: 'code', columns: ['name_ja', 'name_en'], values: (r) => [r.data.name.ja, r.data.name.en] },
  key: {
    table: 'signing_keys',
    keyColumn: 'kid',
    columns: ['alg', 'public_key', 'not_before', 'not_after', 'revoked_at'],
    values: (r) => [r.data.alg, r.data.publicKey, toSeconds(r.data.notBefore), toSeconds(r.data.notAfter), toSeconds(r.data.revokedAt)],
  },
  receiver: {
    table: 'receivers',
    keyColumn: 'id',
    columns: ['name', 'batch_user_id', 'status', 'password_version'],
    values: (r) => [r.data.name, r.data.batchUserId ?? null, r.data.status, r.data.passwordVersion],
  },
  application: {
    table: 'applications',
    keyColumn: 'receipt_number',
    columns: ['office', 'procedure_type', 'channel', 'receiver_id', 'status', 'fees_paid', 'individual_code_issued', 'deliverables', 'vehicle', 'review_completed_at'],
    values: (r) => [
      r.data.office,
      r.data.procedureType,
      r.data.channel,
      r.data.receiverId ?? null,
      r.data.status,
      r.data.feesPaid ? 1 : 0,
      r.data.individualCodeIssued ? 1 : 0,
      JSON.stringify(r.data.deliverables ?? []),
      JSON.stringify(r.data.vehicle ?? {}),
      r.data.reviewCompletedAt ?? null,
    ],
  },
  station: { table: 'office_stations', keyColumn: 'id', columns: ['office', 'token_hashes'], values: (r) => [r.data.office, JSON.stringify(r.data.tokenHashes)] },
  staff: { table: 'office_staff', keyColumn: 'id', columns: ['office', 'name', 'pin_hash', 'disabled'], values: (r) => [r.data.office, r.data.name, r.data.pinHash, r.data.disabled ? 1 : 0] },
  conflict: {
    table: 'office_conflicts',
    keyColumn: 'event_id',
    columns: ['office', 'device_id', 'event_type', 'code', 'message', 'subject', 'at', 'resolved', 'resolved_by', 'note'],
    values: (r) => [r.data.office, r.data.deviceId, r.data.eventType, r.data.code, r.data.message, r.data.subject, r.data.at, r.data.resolved ? 1 : 0, r.data.resolvedBy ?? null, r.data.note ?? null],
  },
};

/** The row an upsert record becomes: its table, columns and values (the bench's bare-INSERT floor uses it too). */
export function rowOf(record: ChangeRecord & { op: 'upsert' }): { table: string; columns: string[]; values: unknown[] } | null {
  if (record.entity === 'meta') return null;
  const a = adapters[record.entity] as EntityAdapter<typeof record.entity>;
  return { table: a.table, columns: [a.keyColumn, ...a.columns, 'seq'], values: [record.id, ...a.values(record as never), record.seq] };
}

/** The tables the feed fills, one per entity. */
export const FEED_TABLES: readonly string[] = Object.values(adapters).map((a) => a.table);

interface PreparedEntity {
  /** Upsert unless a tombstone with a higher seq says the row was deleted after this record. */
  upsert: Statement;
  /** The same without looking at tombstones: for a batch that knows the entity has none. */
  upsertUnchecked: Statement;
  remove: Statement;
}

export class FeedApplier {
  private readonly statements = new Map<RowEntity, PreparedEntity>();
  private readonly tombstone: Statement;
  private readonly setMeta: Statement;
  private readonly getMeta: Statement<[string], { value: string }>;
  private readonly tombstoneEntities: Statement<[], { entity: RowEntity }>;
  /** Entities that may have tombstones; all of them until beginBatch() has looked. */
  private tombstoned: Set<RowEntity> | null = null;

  /** Called after a batch commits (readers drop what they memoised). */
  onCommitted: () => void = () => {};

  constructor(private readonly db: Db) {
    for (const [entity, a] of Object.entries(adapters) as [RowEntity, EntityAdapter<RowEntity>][]) {
      const cols = [a.keyColumn, ...a.columns, 'seq'];
      const updates = [...a.columns, 'seq'].map((c) => `${c} = excluded.${c}`).join(', ');
      const onConflict = `ON CONFLICT (${a.keyColumn}) DO UPDATE SET ${updates} WHERE excluded.seq >= ${a.table}.seq`;
      this.statements.set(entity, {
        upsert: db.prepare(
          `INSERT INTO ${a.table} (${cols.join(', ')}) SELECT ${cols.map(() => '?').join(', ')}
           WHERE NOT EXISTS (SELECT 1 FROM tombstones WHERE entity = '${entity}' AND id = ? AND seq > ?)
           ${onConflict}`,
        ),
        upsertUnchecked: db.prepare(`INSERT INTO ${a.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ${onConflict}`),
        remove: db.prepare(`DELETE FROM ${a.table} WHERE ${a.keyColumn} = ? AND seq <= ?`),
      });
    }
    this.tombstone = db.prepare(
      `INSERT INTO tombstones (entity, id, seq) VALUES (?, ?, ?)
       ON CONFLICT (entity, id) DO UPDATE SET seq = excluded.seq WHERE excluded.seq > tombstones.seq`,
    );
    this.setMeta = db.prepare('INSERT INTO cache_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.getMeta = db.prepare('SELECT value FROM cache_meta WHERE key = ?');
    this.tombstoneEntities = db.prepare('SELECT DISTINCT entity FROM tombstones');
  }

  /**
   * Call at the start of a batch's transaction: records of entities with no tombstones at all skip
   * the tombstone lookup (most batches, and every initial sync).
   */
  beginBatch(): void {
    this.tombstoned = new Set(this.tombstoneEntities.all().map((r) => r.entity));
  }

  /** Apply one record. Call inside a transaction, after beginBatch(). Returns the `asOf` a meta record carries. */
  apply(record: ChangeRecord): string | undefined {
    if (record.entity === 'meta') return record.op === 'upsert' && record.id === 'feed' ? record.data.asOf : undefined;
    const statements = this.statements.get(record.entity)!;
    if (record.op === 'delete') {
      statements.remove.run(record.id, record.seq);
      this.tombstone.run(record.entity, record.id, record.seq);
      this.tombstoned?.add(record.entity);
      return undefined;
    }
    const adapter = adapters[record.entity] as EntityAdapter<typeof record.entity>;
    if (this.tombstoned && !this.tombstoned.has(record.entity)) statements.upsertUnchecked.run(record.id, ...adapter.values(record as never), record.seq);
    else statements.upsert.run(record.id, ...adapter.values(record as never), record.seq, record.id, record.seq);
    return undefined;
  }

  /** Record the cursor and the data's asOf; a batch with no asOf counts as current now. */
  finishBatch(maxSeq: number, asOf: string | undefined, now = new Date()): void {
    if (maxSeq > this.cursor()) this.setMeta.run('cursor', String(maxSeq));
    this.setMeta.run('asOf', new Date(asOf ?? now).toISOString());
  }

  cursor(): number {
    return Number(this.getMeta.get('cursor')?.value ?? 0);
  }
}
