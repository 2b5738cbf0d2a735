// Schema of the event outbox (docs/sync.md, "Up: the event outbox").
import type { MigrationSet } from '../store/db.js';

export const outboxMigrations: MigrationSet = {
  module: 'outbox',
  steps: [
    {
      version: 1,
      name: 'event outbox and sync conflicts',
      sql: `
        -- Events waiting for the hub's answer. seq keeps them oldest first; next_attempt_at is epoch ms.
        CREATE TABLE outbox_events (
          seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
          at TEXT NOT NULL, data TEXT NOT NULL, created_at TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0, last_error TEXT);
        CREATE INDEX outbox_events_due ON outbox_events (next_attempt_at, seq);
        -- Events the hub answered applied or duplicate: keeps add() idempotent after sending.
        CREATE TABLE outbox_sent (
          id TEXT PRIMARY KEY, type TEXT NOT NULL, at TEXT NOT NULL, status TEXT NOT NULL, answered_at TEXT NOT NULL);
        -- Events the hub answered conflict: kept for staff, never dropped.
        CREATE TABLE sync_conflicts (
          id TEXT PRIMARY KEY, type TEXT NOT NULL, at TEXT NOT NULL, data TEXT NOT NULL, detail TEXT,
          answered_at TEXT NOT NULL, resolved_at TEXT, resolved_by TEXT, resolution_note TEXT);
        CREATE INDEX sync_conflicts_unresolved ON sync_conflicts (answered_at) WHERE resolved_at IS NULL;
      `,
    },
    {
      version: 2,
      name: 'a conflict resolved at another counter of the office is resolved here too',
      // The hub publishes each conflict of the office's stations, and its resolution, in the feed
      // (cache table office_conflicts): staff resolving it anywhere resolve it everywhere.
      sql: `
        CREATE TRIGGER office_conflict_resolved_insert AFTER INSERT ON office_conflicts WHEN NEW.resolved = 1
          BEGIN UPDATE sync_conflicts SET resolved_at = NEW.at, resolved_by = NEW.resolved_by, resolution_note = NEW.note
                WHERE id = NEW.event_id AND resolved_at IS NULL; END;
        CREATE TRIGGER office_conflict_resolved_update AFTER UPDATE OF resolved ON office_conflicts WHEN NEW.resolved = 1
          BEGIN UPDATE sync_conflicts SET resolved_at = NEW.at, resolved_by = NEW.resolved_by, resolution_note = NEW.note
                WHERE id = NEW.event_id AND resolved_at IS NULL; END;
      `,
    },
  ],
};
