// A thin wrapper over better-sqlite3: open with the pragmas this daemon relies on, and apply
// numbered migrations at open. Each feature owns its own migration list (its "module"), so
// features can be added without renumbering one another's steps.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { KioskError } from '../errors.js';

export type Db = Database.Database;

export interface Migration {
  /** 1, 2, 3 … within its module; never renumber a released step. */
  version: number;
  name: string;
  sql: string;
}

export interface MigrationSet {
  module: string;
  steps: readonly Migration[];
}

export function openDatabase(file: string, migrationSets: readonly MigrationSet[] = []): Db {
  let db: Db;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
  } catch (e) {
    throw new KioskError(`cannot open database ${file}: ${(e as Error).message}`, 'DATABASE', { file });
  }
  db.pragma('journal_mode = WAL');
  // FULL: an acknowledged handover must survive a power cut, not only a crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrationSets);
  return db;
}

export function migrate(db: Db, sets: readonly MigrationSet[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    module TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL,
    PRIMARY KEY (module, version))`);
  const applied = db.prepare<[string], { v: number | null }>('SELECT max(version) AS v FROM schema_migrations WHERE module = ?');
  const record = db.prepare('INSERT INTO schema_migrations (module, version, name, applied_at) VALUES (?, ?, ?, ?)');
  for (const set of sets) {
    const current = applied.get(set.module)?.v ?? 0;
    for (const step of [...set.steps].sort((a, b) => a.version - b.version)) {
      if (step.version <= current) continue;
      db.transaction(() => {
        db.exec(step.sql);
        record.run(set.module, step.version, step.name, new Date().toISOString());
      })();
    }
  }
}
