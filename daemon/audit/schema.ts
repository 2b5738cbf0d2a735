// Schema of the append-only, hash-chained audit log.
import type { MigrationSet } from '../store/db.js';

export const auditMigrations: MigrationSet = {
  module: 'audit',
  steps: [
    {
      version: 1,
      name: 'audit log',
      sql: `
        -- hash = SHA-256(prev_hash || canonical JSON of seq, at, type, deviceId, staffId, scanId, data).
        CREATE TABLE audit_log (
          seq INTEGER PRIMARY KEY, at TEXT NOT NULL, type TEXT NOT NULL, device_id TEXT NOT NULL,
          staff_id TEXT, scan_id TEXT, data TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      `,
    },
    {
      version: 2,
      name: 'a key of this log for receipt tags',
      // Receipt numbers are kept masked with a keyed tag (mask.ts receiptRef); the key stays in this
      // database, so the tags find rows here and mean nothing elsewhere.
      sql: `
        CREATE TABLE audit_secret (id INTEGER PRIMARY KEY CHECK (id = 1), receipt_key BLOB NOT NULL);
        INSERT INTO audit_secret (id, receipt_key) VALUES (1, randomblob(32));
      `,
    },
  ],
};
