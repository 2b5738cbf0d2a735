// What happens at this office's counters: tickets and the items they hold, pickups and local
// receiver changes that must outlive older feed records, and the answers to staff actions.
import type { MigrationSet } from '../store/db.js';

/** Re-applies a pending local receiver change after a feed record rewrote (or re-created) the row. */
function keepLocalReceiverChange(event: 'UPDATE' | 'INSERT'): string {
  return `CREATE TRIGGER local_receiver_change_survives_${event.toLowerCase()} AFTER ${event} ON receivers
    WHEN EXISTS (SELECT 1 FROM local_receiver_changes c JOIN outbox_events o ON o.id = c.event_id
                 WHERE c.receiver_id = NEW.id
                   AND ((c.registered = 1 AND NEW.status != 'active') OR NEW.password_version < c.password_version))
    BEGIN UPDATE receivers SET
            status = CASE WHEN (SELECT registered FROM local_receiver_changes WHERE receiver_id = NEW.id) = 1 THEN 'active' ELSE NEW.status END,
            password_version = max(NEW.password_version, (SELECT password_version FROM local_receiver_changes WHERE receiver_id = NEW.id))
          WHERE id = NEW.id; END;`;
}

export const counterMigrations: MigrationSet = {
  module: 'counter',
  steps: [
    {
      version: 1,
      name: 'tickets, pickups, local overrides, action results',
      sql: `
        CREATE TABLE tickets (
          id TEXT PRIMARY KEY, office TEXT NOT NULL, day TEXT NOT NULL, seq_in_day INTEGER NOT NULL,
          number TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'done', 'cancelled')),
          code_key TEXT NOT NULL, code_type TEXT NOT NULL, receiver_id TEXT, receiver_name_masked TEXT,
          device_id TEXT NOT NULL, issued_at TEXT NOT NULL, called_at TEXT, counter TEXT, done_at TEXT,
          UNIQUE (office, day, number));
        CREATE INDEX tickets_open ON tickets (office, day, status);
        CREATE INDEX tickets_by_code ON tickets (code_key, day);
        CREATE TABLE ticket_items (
          ticket_id TEXT NOT NULL REFERENCES tickets (id), receipt_number TEXT NOT NULL, handed_over_at TEXT,
          PRIMARY KEY (ticket_id, receipt_number));
        CREATE INDEX ticket_items_by_receipt ON ticket_items (receipt_number);

        -- A pickup is this office's fact: the application stays collected whatever an older feed says.
        CREATE TABLE local_pickups (
          receipt_number TEXT PRIMARY KEY, ticket_id TEXT, staff_id TEXT NOT NULL, device_id TEXT NOT NULL,
          at TEXT NOT NULL, event_id TEXT NOT NULL);
        CREATE TRIGGER local_pickup_survives_update AFTER UPDATE OF status ON applications
          WHEN NEW.status != 'collected' AND EXISTS (SELECT 1 FROM local_pickups WHERE receipt_number = NEW.receipt_number)
          BEGIN UPDATE applications SET status = 'collected' WHERE receipt_number = NEW.receipt_number; END;
        CREATE TRIGGER local_pickup_survives_insert AFTER INSERT ON applications
          WHEN NEW.status != 'collected' AND EXISTS (SELECT 1 FROM local_pickups WHERE receipt_number = NEW.receipt_number)
          BEGIN UPDATE applications SET status = 'collected' WHERE receipt_number = NEW.receipt_number; END;

        -- Registrations and password changes applied here, until the upstream's feed catches up.
        CREATE TABLE local_receiver_changes (
          receiver_id TEXT PRIMARY KEY, name TEXT NOT NULL, batch_user_id TEXT, password_version INTEGER NOT NULL,
          at TEXT NOT NULL, event_id TEXT NOT NULL);
        CREATE TRIGGER local_receiver_survives_update AFTER UPDATE ON receivers
          WHEN EXISTS (SELECT 1 FROM local_receiver_changes c WHERE c.receiver_id = NEW.id
                       AND (NEW.status != 'active' OR NEW.password_version < c.password_version))
          BEGIN UPDATE receivers SET status = 'active',
                  password_version = max(NEW.password_version, (SELECT password_version FROM local_receiver_changes WHERE receiver_id = NEW.id))
                WHERE id = NEW.id; END;

        CREATE TABLE action_results (id TEXT PRIMARY KEY, kind TEXT NOT NULL, staff_id TEXT, response TEXT NOT NULL, at TEXT NOT NULL);
      `,
    },
    {
      version: 2,
      name: 'local receiver changes hold only until the upstream has answered for them',
      // A local registration or password change overrides the feed only while its outbox event is
      // still waiting: once the hub has answered (applied, or a conflict for staff), the feed is
      // the truth again, so a receiver suspended upstream is suspended here too.
      sql: `
        ALTER TABLE local_receiver_changes ADD COLUMN registered INTEGER NOT NULL DEFAULT 0;
        UPDATE local_receiver_changes SET registered = 1;
        DROP TRIGGER local_receiver_survives_update;
        ${keepLocalReceiverChange('UPDATE')}
        ${keepLocalReceiverChange('INSERT')}
      `,
    },
    {
      version: 3,
      name: 'action ids bound to their request; answers pruned',
      // Answers kept before this version may hold names and have no fingerprint: they are only
      // retry caches, so they are dropped.
      sql: `
        DELETE FROM action_results;
        ALTER TABLE action_results ADD COLUMN fingerprint TEXT;
        CREATE INDEX action_results_by_time ON action_results (at);
      `,
    },
  ],
};
