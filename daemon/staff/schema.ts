// Schema of the staff accounts, their sign-in failures and their sessions.
import type { MigrationSet } from '../store/db.js';

export const staffMigrations: MigrationSet = {
  module: 'staff',
  steps: [
    {
      version: 1,
      name: 'staff accounts and sessions',
      sql: `
        -- pin_hash is scrypt$N$r$p$salt$hash (base64url); the PIN itself is never stored.
        CREATE TABLE staff (
          id TEXT PRIMARY KEY, name TEXT NOT NULL, pin_hash TEXT NOT NULL,
          disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, disabled_at TEXT);
        -- Keyed by the staff id as typed, known or not, so lockout does not reveal which ids exist.
        -- Times are epoch milliseconds.
        CREATE TABLE staff_sign_in_failures (
          staff_id TEXT PRIMARY KEY, failures INTEGER NOT NULL, window_start INTEGER NOT NULL,
          locked_until INTEGER);
        -- Only the SHA-256 of a session token is stored; the token is handed out once.
        CREATE TABLE staff_sessions (
          token_hash TEXT PRIMARY KEY, staff_id TEXT NOT NULL REFERENCES staff (id),
          created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, last_used_at INTEGER NOT NULL);
        CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);
      `,
    },
    {
      version: 2,
      name: 'sign-in failures are counted in memory',
      // Failed sign-ins come from unauthenticated requests: they must not write to disk (README.md).
      sql: `DROP TABLE staff_sign_in_failures;`,
    },
  ],
};
