// The master-data cache: one SQLite file with its read view and its feed applier.
import { join } from 'node:path';
import { cacheMigrations } from './cache-schema.js';
import { CacheView } from './cache-view.js';
import { openDatabase, type Db, type MigrationSet, type OpenOptions } from './db.js';
import { FeedApplier } from './feed-applier.js';
import { LocalEdits } from './local-edits.js';

export const DATABASE_FILE = 'kiosk.sqlite';

export interface CacheCounts {
  offices: number;
  procedureTypes: number;
  keys: number;
  receivers: number;
  applications: number;
}

export class Cache {
  readonly view: CacheView;
  readonly applier: FeedApplier;
  /** Changes the counter makes to master data itself, before the hub confirms them. */
  readonly local: LocalEdits;

  constructor(readonly db: Db) {
    this.view = new CacheView(db);
    this.applier = new FeedApplier(db);
    this.applier.onCommitted = () => this.view.invalidate();
    this.local = new LocalEdits(db);
  }

  /** Open (creating if needed) the database in a data directory, applying every migration. */
  static open(dataDir: string, extraMigrations: readonly MigrationSet[] = [], options: OpenOptions = {}): Cache {
    return new Cache(openDatabase(join(dataDir, DATABASE_FILE), options.readonly ? [] : [cacheMigrations, ...extraMigrations], options));
  }

  /** This cache holds the demo's data (and trusts the demo key): a real configuration must not use it. */
  isDemo(): boolean {
    return (this.db.prepare("SELECT value FROM cache_meta WHERE key = 'demo'").get() as { value: string } | undefined)?.value === '1';
  }

  markDemo(): void {
    this.db.prepare("INSERT INTO cache_meta (key, value) VALUES ('demo', '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value").run();
  }

  counts(): CacheCounts {
    const count = (table: string) => (this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      offices: count('offices'),
      procedureTypes: count('procedure_types'),
      keys: count('signing_keys'),
      receivers: count('receivers'),
      applications: count('applications'),
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
