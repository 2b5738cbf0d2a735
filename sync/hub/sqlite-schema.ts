// The hub's SQLite schema (migration module `hub`). Times are ISO-8601 UTC text, so they compare
// as text. The feed's seq is the rowid: a page is one range scan in seq order.
import type { MigrationSet } from '../../daemon/store/db.js';

export const hubSqliteMigrations: MigrationSet = {
  module: 'hub',
  steps: [
    {
      version: 1,
      name: 'feed, devices, tokens, events, password versions, signing key',
      sql: `
        CREATE TABLE hub_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE feed (
          seq INTEGER PRIMARY KEY,
          entity TEXT NOT NULL,
          id TEXT NOT NULL,
          op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
          office TEXT,
          prev_office TEXT,
          data TEXT,
          UNIQUE (entity, id)
        );
        CREATE TABLE devices (
          device_id TEXT PRIMARY KEY,
          office TEXT,
          enrolled_at TEXT NOT NULL,
          last_seen_at TEXT,
          device_time TEXT,
          hub_time TEXT,
          skew_ms INTEGER,
          audit_seq INTEGER,
          audit_hash TEXT,
          audit_at TEXT
        );
        CREATE TABLE tokens (
          token_hash TEXT PRIMARY KEY,
          device_id TEXT NOT NULL REFERENCES devices (device_id),
          created_at TEXT NOT NULL,
          revoked_at TEXT
        );
        CREATE INDEX tokens_by_device ON tokens (device_id);
        CREATE TABLE events (
          n INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          device_id TEXT NOT NULL,
          office TEXT NOT NULL,
          type TEXT NOT NULL,
          at TEXT NOT NULL,
          device_time TEXT NOT NULL,
          received_at TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('applied', 'conflict')),
          detail TEXT,
          data TEXT NOT NULL,
          subject TEXT
        );
        CREATE INDEX events_applied_pickups ON events (subject) WHERE type = 'pickup' AND status = 'applied';
        CREATE INDEX events_by_device ON events (device_id, n);
        CREATE TABLE password_versions (
          receiver_id TEXT NOT NULL,
          version INTEGER NOT NULL,
          changed_at TEXT,
          PRIMARY KEY (receiver_id, version)
        );
        CREATE TABLE signing_keys (kid TEXT PRIMARY KEY, seed TEXT NOT NULL, created_at TEXT NOT NULL);
      `,
    },
  ],
};
