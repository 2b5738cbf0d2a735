// A thin wrapper over better-sqlite3: open with the pragmas this daemon relies on, and apply
// numbered migrations at open. Each feature owns its own migration list (its "module"), so
// features can be added without renumbering one another's steps.
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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

export interface OpenOptions {
  /**
   * How long one statement may wait for another process's write lock, blocking this thread.
   * The daemon keeps it short so its event loop stays responsive and waits longer with
   * retryWhileBusy(); command-line tools may simply wait.
   */
  busyTimeoutMs?: number;
  /**
   * `full` (default): every commit is on disk before it returns — an acknowledged handover
   * survives a power cut. `normal`: for work that can be redone (a feed import is idempotent);
   * WAL keeps the file consistent either way.
   */
  synchronous?: 'full' | 'normal';
  /** Open an existing database only, read-only, with no migrations: for commands that must change nothing. */
  readonly?: boolean;
  /** Refuse to create the file: a mistyped --data must not leave an empty database behind. */
  mustExist?: boolean;
}

/** Files the daemon keeps are for its own user only, whatever the umask. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

export function openDatabase(file: string, migrationSets: readonly MigrationSet[] = [], options: OpenOptions = {}): Db {
  const onDisk = file !== ':memory:';
  if ((options.readonly || options.mustExist) && onDisk && !existsSync(file)) {
    throw new KioskError(`no kiosk database at ${file}: check --data / KIOSK_DATA_DIR`, 'NOT_FOUND', { file });
  }
  let db: Db;
  try {
    if (onDisk && !options.readonly) mkdirSync(dirname(file), { recursive: true, mode: DIR_MODE });
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: (options.readonly || options.mustExist) ?? false });
  } catch (e) {
    throw new KioskError(`cannot open database ${file}: ${(e as Error).message}`, 'DATABASE', { file });
  }
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  if (options.readonly) return db;
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('foreign_keys = ON');
  if (onDisk) for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, FILE_MODE);
  beginImmediately(db);
  migrate(db, migrationSets);
  return db;
}

/**
 * Every transaction on the connection begins IMMEDIATE, taking the write lock up front. A deferred
 * transaction that reads and then writes cannot wait for another process's lock: SQLite refuses
 * the upgrade at once (SQLITE_BUSY, busy timeout or not) when that process committed meanwhile.
 * Nested calls still become savepoints.
 */
function beginImmediately(db: Db): void {
  const deferred = db.transaction.bind(db);
  db.transaction = ((fn: (...args: never[]) => unknown) => {
    const t = deferred(fn);
    return Object.assign((...args: never[]) => t.immediate(...args), { default: t.immediate, deferred: t.deferred, immediate: t.immediate, exclusive: t.exclusive, database: db });
  }) as unknown as Db['transaction'];
}

/**
 * Run `write` with `synchronous = NORMAL`: its commit need not wait for the disk. In WAL mode the log
 * is written in order, so the next FULL commit makes this one durable too; only a power cut between
 * the two can lose it (a crash of the process cannot). Only for writes whose loss is harmless and
 * redone, never for a handover (see the callers).
 */
export function withRelaxedSync<T>(db: Db, write: () => T): T {
  const before = db.pragma('synchronous', { simple: true }) as number;
  if (before <= 1) return write(); // OFF or NORMAL already
  db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.pragma(`synchronous = ${before}`);
  }
}

export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED');
}

/**
 * Run a synchronous database write, waiting (without blocking the event loop) while another
 * process holds the write lock, for at most `deadlineMs`. Throws DATABASE after that.
 */
export async function retryWhileBusy<T>(write: () => T, { deadlineMs = 10_000, onWait }: { deadlineMs?: number; onWait?: (waitedMs: number) => void } = {}): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return write();
    } catch (e) {
      const waited = Date.now() - started;
      if (!isBusy(e)) throw e;
      if (waited >= deadlineMs) throw new KioskError(`the database stayed locked by another process for ${waited} ms`, 'DATABASE', { waitedMs: waited });
      if (attempt === 0) onWait?.(waited);
      await sleep(Math.min(1 + attempt, 10));
    }
  }
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
