// The cache as the sync client's FeedSink: pages from the hub applied one transaction each, the
// cursor and feed id beside them, and fresh snapshots that replace the cache without emptying it
// first (verdicts go on from the old rows until the snapshot is complete).
import type { Statement } from 'better-sqlite3';
import type { FeedSink } from '../../sync/client/ports.js';
import type { ChangeRecord } from '../../protocol/feed-records.js';
import { withRelaxedSync, type Db } from './db.js';
import { FEED_TABLES, type FeedApplier } from './feed-applier.js';

/**
 * seq of a row a fresh snapshot has not confirmed yet. Rows the hub sent have seq ≥ 1; rows the
 * counter created itself have 0 and are kept.
 */
const UNCONFIRMED = -1;

export class CacheFeedSink implements FeedSink {
  private readonly getMeta: Statement<[string], { value: string }>;
  private readonly setMeta: Statement<[string, string]>;

  constructor(
    private readonly db: Db,
    private readonly applier: FeedApplier,
  ) {
    this.getMeta = db.prepare('SELECT value FROM cache_meta WHERE key = ?');
    this.setMeta = db.prepare('INSERT INTO cache_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  cursor(): number {
    return this.applier.cursor();
  }

  feedId(): string | null {
    return this.getMeta.get('feedId')?.value ?? null;
  }

  snapshotInProgress(): boolean {
    return this.getMeta.get('snapshot')?.value === '1';
  }

  applyPage(page: { records: readonly ChangeRecord[]; next: number; feedId: string; asOf: Date | null; completesSnapshot: boolean }): void {
    // A page need not wait for the disk: if a power cut loses it, it loses the cursor with it and is
    // fetched again. The next durable commit (a handover) writes it out too. WAL keeps either consistent.
    withRelaxedSync(this.db, () => this.applyInTransaction(page));
    this.applier.onCommitted();
  }

  private applyInTransaction(page: { records: readonly ChangeRecord[]; next: number; feedId: string; asOf: Date | null; completesSnapshot: boolean }): void {
    this.db.transaction(() => {
      this.applier.beginBatch();
      for (const record of page.records) this.applier.apply(record);
      this.setMeta.run('cursor', String(page.next));
      this.setMeta.run('feedId', page.feedId);
      if (page.completesSnapshot) {
        for (const table of FEED_TABLES) this.db.prepare(`DELETE FROM ${table} WHERE seq = ${UNCONFIRMED}`).run();
        this.setMeta.run('snapshot', '0');
      }
      if (page.asOf) this.setMeta.run('asOf', page.asOf.toISOString());
    })();
  }

  beginSnapshot(): void {
    this.db.transaction(() => {
      // The new numbering starts again at 1: old seqs and tombstones would hide its records.
      for (const table of FEED_TABLES) this.db.prepare(`UPDATE ${table} SET seq = ${UNCONFIRMED} WHERE seq > 0`).run();
      this.db.prepare('DELETE FROM tombstones').run();
      this.setMeta.run('cursor', '0');
      this.setMeta.run('snapshot', '1');
    })();
    this.applier.onCommitted();
  }
}
