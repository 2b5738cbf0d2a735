// What this office did that the feed must not undo before the hub has heard of it: pickups (an
// application stays collected), and registrations and password changes (held over feed records
// that are not newer, until the hub answers their event; see schema.ts).
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db.js';

export interface Pickup {
  receiptNumber: string;
  ticketId: string | null;
  staffId: string;
  deviceId: string;
  at: Date;
  eventId: string;
}

export interface ReceiverChange {
  receiverId: string;
  name: string;
  batchUserId: string | null;
  passwordVersion: number;
  /** A registration (the receiver becomes active), not only a password change. */
  registered: boolean;
  at: Date;
  eventId: string;
}

export class LocalChanges {
  private readonly insertPickup: Statement;
  private readonly upsertReceiverChange: Statement;

  constructor(db: Db) {
    this.insertPickup = db.prepare('INSERT INTO local_pickups (receipt_number, ticket_id, staff_id, device_id, at, event_id) VALUES (?, ?, ?, ?, ?, ?)');
    this.upsertReceiverChange = db.prepare(
      // The feed position the change was made at: feed records above it are newer (schema.ts, REGISTRATION_HOLDS).
      `INSERT INTO local_receiver_changes (receiver_id, name, batch_user_id, password_version, at, event_id, registered, feed_seq, feed_id)
       VALUES (?, ?, ?, ?, ?, ?, ?,
               coalesce((SELECT CAST(value AS INTEGER) FROM cache_meta WHERE key = 'cursor'), 0),
               (SELECT value FROM cache_meta WHERE key = 'feedId'))
       ON CONFLICT (receiver_id) DO UPDATE SET name = excluded.name, password_version = max(password_version, excluded.password_version),
         at = excluded.at, event_id = excluded.event_id, registered = max(registered, excluded.registered),
         feed_seq = excluded.feed_seq, feed_id = excluded.feed_id`,
    );
  }

  /** Call in the handover's transaction. */
  recordPickup(p: Pickup): void {
    this.insertPickup.run(p.receiptNumber, p.ticketId, p.staffId, p.deviceId, p.at.toISOString(), p.eventId);
  }

  /** Call in the registration's or password change's transaction. */
  rememberReceiverChange(c: ReceiverChange): void {
    this.upsertReceiverChange.run(c.receiverId, c.name, c.batchUserId, c.passwordVersion, c.at.toISOString(), c.eventId, c.registered ? 1 : 0);
  }
}
