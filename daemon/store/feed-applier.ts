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
};

/** The tables the feed fills, one per entity. */
export const FEED_TABLES: readonly string[] = Object.values(adapters).map((a) => a.table);

interface PreparedEntity {
  upsert: Statement;
  remove: Statement;
}

export class FeedApplier {
  private readonly statements = new Map<RowEntity, PreparedEntity>();
  private readonly tombstone: Statement;
  private readonly setMeta: Statement;
  private readonly getMeta: Statement<[string], { value: string }>;

  /** Called after a batch commits (readers drop what they memoised). */
  onCommitted: () => void = () => {};

  constructor(private readonly db: Db) {
    for (const [entity, a] of Object.entries(adapters) as [RowEntity, EntityAdapter<RowEntity>][]) {
      const cols = [a.keyColumn, ...a.columns, 'seq'];
      const updates = [...a.columns, 'seq'].map((c) => `${c} = excluded.${c}`).join(', ');
      this.statements.set(entity, {
        upsert: db.prepare(
          `INSERT INTO ${a.table} (${cols.join(', ')}) SELECT ${cols.map(() => '?').join(', ')}
           WHERE NOT EXISTS (SELECT 1 FROM tombstones WHERE entity = '${entity}' AND id = ? AND seq > ?)
           ON CONFLICT (${a.keyColumn}) DO UPDATE SET ${updates} WHERE excluded.seq >= ${a.table}.seq`,
        ),
        remove: db.prepare(`DELETE FROM ${a.table} WHERE ${a.keyColumn} = ? AND seq <= ?`),
      });
    }
    this.tombstone = db.prepare(
      `INSERT INTO tombstones (entity, id, seq) VALUES (?, ?, ?)
       ON CONFLICT (entity, id) DO UPDATE SET seq = excluded.seq WHERE excluded.seq > tombstones.seq`,
    );
    this.setMeta = db.prepare('INSERT INTO cache_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.getMeta = db.prepare('SELECT value FROM cache_meta WHERE key = ?');
  }

  /** Apply one record. Call inside a transaction (see applyPage). Returns the `asOf` a meta record carries. */
  apply(record: ChangeRecord): string | undefined {
    if (record.entity === 'meta') return record.op === 'upsert' && record.id === 'feed' ? record.data.asOf : undefined;
    const statements = this.statements.get(record.entity)!;
    if (record.op === 'delete') {
      statements.remove.run(record.id, record.seq);
      this.tombstone.run(record.entity, record.id, record.seq);
      return undefined;
    }
    const adapter = adapters[record.entity] as EntityAdapter<typeof record.entity>;
    statements.upsert.run(record.id, ...adapter.values(record as never), record.seq, record.id, record.seq);
    return undefined;
  }

  /** Apply a page in one transaction; the cursor and asOf advance only if it commits. */
  applyPage(records: readonly ChangeRecord[], asOf: string | undefined): void {
    this.db.transaction(() => {
      let pageAsOf = asOf;
      for (const record of records) pageAsOf = this.apply(record) ?? pageAsOf;
      this.finishBatch(records.reduce((max, r) => Math.max(max, r.seq), 0), pageAsOf);
    })();
    this.onCommitted();
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
