// The print queue's tables (migration module 'printing'): jobs, and what was learned about whether
// a printer confirms what it printed.
import type { MigrationSet } from '../store/db.js';

export const printingMigrations: MigrationSet = {
  module: 'printing',
  steps: [
    {
      version: 1,
      name: 'print jobs',
      sql: `CREATE TABLE print_jobs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id TEXT NOT NULL UNIQUE,
        ticket TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'printed')),
        reprint INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        printed_at TEXT
      );
      CREATE INDEX print_jobs_pending ON print_jobs (state, seq);`,
    },
    {
      version: 2,
      name: 'sends counted, failed jobs set aside, printers that cannot confirm',
      // sends: how often the ticket's bytes went out (a resend is marked; at most one resend).
      // A v1 job caught 'sending' may be on paper: it counts as sent once.
      sql: `CREATE TABLE print_jobs_v2 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id TEXT NOT NULL UNIQUE,
        ticket TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'printed', 'failed')),
        sends INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        printed_at TEXT,
        confirmed_by TEXT CHECK (confirmed_by IN ('printer', 'status')),
        failed_at TEXT
      );
      INSERT INTO print_jobs_v2 (seq, job_id, ticket, state, sends, attempts, last_error, created_at, printed_at)
        SELECT seq, job_id, ticket, state, CASE WHEN state = 'sending' THEN 1 ELSE reprint END, attempts, last_error, created_at, printed_at FROM print_jobs;
      DROP TABLE print_jobs;
      ALTER TABLE print_jobs_v2 RENAME TO print_jobs;
      CREATE INDEX print_jobs_pending ON print_jobs (state, seq);
      CREATE TABLE printer_confirmation (
        target TEXT PRIMARY KEY,
        confirms INTEGER NOT NULL CHECK (confirms IN (0, 1)),
        learned_at TEXT NOT NULL
      );`,
    },
  ],
};
