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
    {
      version: 3,
      name: "the office's staff accounts from the hub",
      // The hub keeps the office's accounts and sends them in the feed (cache table office_staff):
      // the same account and PIN work at every station. A disabled account, or a changed PIN,
      // ends that account's sessions here. An account removed from the feed is disabled.
      sql: `
        CREATE TRIGGER office_staff_insert AFTER INSERT ON office_staff
          BEGIN
            INSERT INTO staff (id, name, pin_hash, disabled, created_at) VALUES (NEW.id, NEW.name, NEW.pin_hash, NEW.disabled, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
              ON CONFLICT (id) DO UPDATE SET name = excluded.name, pin_hash = excluded.pin_hash, disabled = excluded.disabled;
            DELETE FROM staff_sessions WHERE staff_id = NEW.id;
          END;
        CREATE TRIGGER office_staff_update AFTER UPDATE ON office_staff
          BEGIN
            UPDATE staff SET name = NEW.name, pin_hash = NEW.pin_hash, disabled = NEW.disabled WHERE id = NEW.id;
            DELETE FROM staff_sessions WHERE staff_id = NEW.id AND (NEW.disabled = 1 OR NEW.pin_hash != OLD.pin_hash);
          END;
        CREATE TRIGGER office_staff_delete AFTER DELETE ON office_staff
          BEGIN
            UPDATE staff SET disabled = 1 WHERE id = OLD.id;
            DELETE FROM staff_sessions WHERE staff_id = OLD.id;
          END;
      `,
    },
  ],
};
