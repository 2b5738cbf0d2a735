// Schema of the master-data cache filled by the change feed (docs/sync.md).
import type { MigrationSet } from './db.js';

export const cacheMigrations: MigrationSet = {
  module: 'cache',
  steps: [
    {
      version: 1,
      name: 'master data',
      sql: `
        CREATE TABLE cache_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE offices (code TEXT PRIMARY KEY, name_ja TEXT NOT NULL, name_en TEXT NOT NULL, seq INTEGER NOT NULL);
        CREATE TABLE procedure_types (code TEXT PRIMARY KEY, name_ja TEXT NOT NULL, name_en TEXT NOT NULL, seq INTEGER NOT NULL);
        CREATE TABLE signing_keys (
          kid TEXT PRIMARY KEY, alg TEXT NOT NULL, public_key TEXT NOT NULL,
          not_before INTEGER, not_after INTEGER, revoked_at INTEGER, seq INTEGER NOT NULL);
        CREATE TABLE receivers (
          id TEXT PRIMARY KEY, name TEXT NOT NULL, batch_user_id TEXT, status TEXT NOT NULL,
          password_version INTEGER NOT NULL, seq INTEGER NOT NULL);
        CREATE TABLE applications (
          receipt_number TEXT PRIMARY KEY, office TEXT NOT NULL, procedure_type TEXT NOT NULL,
          channel TEXT NOT NULL, receiver_id TEXT, status TEXT NOT NULL, fees_paid INTEGER NOT NULL,
          individual_code_issued INTEGER NOT NULL, deliverables TEXT NOT NULL, vehicle TEXT NOT NULL,
          review_completed_at TEXT, seq INTEGER NOT NULL);
        CREATE INDEX applications_by_receiver ON applications (receiver_id, procedure_type, office) WHERE receiver_id IS NOT NULL;
        -- A delete is remembered so that an older upsert arriving later cannot bring the row back.
        CREATE TABLE tombstones (entity TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (entity, id));
      `,
    },
    {
      version: 2,
      name: "the office's stations, staff accounts and conflicts from the hub",
      sql: `
        -- The SHA-256 of each station's working tokens (JSON array): who may speak for the office (docs/office.md).
        CREATE TABLE office_stations (id TEXT PRIMARY KEY, office TEXT NOT NULL, token_hashes TEXT NOT NULL, seq INTEGER NOT NULL);
        -- Staff accounts the hub keeps for the office; the staff module copies them into its own table.
        CREATE TABLE office_staff (id TEXT PRIMARY KEY, office TEXT NOT NULL, name TEXT NOT NULL, pin_hash TEXT NOT NULL, disabled INTEGER NOT NULL, seq INTEGER NOT NULL);
        -- Conflicts the hub found in the events of the office's stations, this one's and the others'.
        CREATE TABLE office_conflicts (
          event_id TEXT PRIMARY KEY, office TEXT NOT NULL, device_id TEXT NOT NULL, event_type TEXT NOT NULL, code TEXT NOT NULL,
          message TEXT NOT NULL, subject TEXT, at TEXT NOT NULL, resolved INTEGER NOT NULL, resolved_by TEXT, note TEXT, seq INTEGER NOT NULL);
        CREATE INDEX office_conflicts_open ON office_conflicts (office, at) WHERE resolved = 0;
      `,
    },
  ],
};
