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
  ],
};
