// The counter's own edits to master data, applied at once (docs/decision-table.md "What happens after a
// verdict"): a handed-over application becomes collected, a registration makes its receiver
// active, an applied password change raises the version. seq 0: any feed record about the row wins
// the ordering, and the counter module's triggers decide what survives it.
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

export class LocalEdits {
  private readonly collected: Statement<[string]>;
  private readonly registered: Statement<[string, string, string | null, number]>;
  private readonly passwordVersion: Statement<[number, string]>;
  private readonly conflictResolved: Statement<[string, string, string]>;

  constructor(db: Db) {
    this.collected = db.prepare("UPDATE applications SET status = 'collected' WHERE receipt_number = ?");
    this.registered = db.prepare(
      `INSERT INTO receivers (id, name, batch_user_id, status, password_version, seq) VALUES (?, ?, ?, 'active', ?, 0)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, batch_user_id = excluded.batch_user_id, status = 'active'`,
    );
    this.passwordVersion = db.prepare('UPDATE receivers SET password_version = ? WHERE id = ?');
    this.conflictResolved = db.prepare('UPDATE office_conflicts SET resolved = 1, resolved_by = ?, note = ? WHERE event_id = ? AND resolved = 0');
  }

  /** Staff here resolved a conflict of the office: hidden at once; the hub's feed confirms it to every counter. */
  resolveOfficeConflict(eventId: string, staffId: string, note: string): boolean {
    return this.conflictResolved.run(staffId, note, eventId).changes > 0;
  }

  markCollected(receiptNumber: string): void {
    this.collected.run(receiptNumber);
  }

  activateReceiver(id: string, name: string, batchUserId: string | null, passwordVersion: number): void {
    this.registered.run(id, name, batchUserId, passwordVersion);
  }

  setPasswordVersion(id: string, version: number): void {
    this.passwordVersion.run(version, id);
  }
}
