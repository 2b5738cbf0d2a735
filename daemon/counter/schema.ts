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

/** A local change the hub has not answered for yet (its outbox event is still waiting). */
const UNANSWERED = 'c.event_id IN (SELECT id FROM outbox_events)';
/**
 * A pending registration holds against this feed record: the record says `pending` (the hub has not
 * heard of the registration yet), or the kiosk had seen it when staff registered (seq at or below
 * the cursor then, in the same feed). A later `suspended` or `deleted` is a decision upstream and wins.
 */
const REGISTRATION_HOLDS = `c.registered = 1 AND NEW.status != 'active'
  AND (NEW.status = 'pending' OR (NEW.seq <= c.feed_seq AND c.feed_id IS (SELECT value FROM cache_meta WHERE key = 'feedId')))`;

/** Keeps a pending local change over a feed record that rewrote (or re-created) the row; see REGISTRATION_HOLDS. */
function localReceiverChangeHolds(event: 'UPDATE' | 'INSERT'): string {
  const change = `FROM local_receiver_changes c WHERE c.receiver_id = NEW.id AND ${UNANSWERED}`;
  return `CREATE TRIGGER local_receiver_change_holds_${event.toLowerCase()} AFTER ${event} ON receivers
    WHEN EXISTS (SELECT 1 ${change} AND ((${REGISTRATION_HOLDS}) OR NEW.password_version < c.password_version))
    BEGIN UPDATE receivers SET
            status = CASE WHEN EXISTS (SELECT 1 ${change} AND ${REGISTRATION_HOLDS}) THEN 'active' ELSE NEW.status END,
            -- password versions never go back while the change is unanswered: that would revive codes 15.2(4) killed
            password_version = max(NEW.password_version, coalesce((SELECT c.password_version ${change}), 0))
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
    {
      version: 4,
      name: 'ticket lifecycle: no-show, queue order, calls, cancel reason, the code a ticket was issued for',
      // SQLite cannot alter a CHECK constraint: the table is rebuilt. ticket_items refers to it, so
      // foreign keys are checked at commit, once the rows are back.
      sql: `
        PRAGMA defer_foreign_keys = ON;
        CREATE TEMP TABLE tickets_before_v4 AS SELECT * FROM tickets;
        DROP TABLE tickets;
        CREATE TABLE tickets (
          id TEXT PRIMARY KEY, office TEXT NOT NULL, day TEXT NOT NULL, seq_in_day INTEGER NOT NULL,
          number TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'done', 'cancelled', 'no-show')),
          code_key TEXT NOT NULL, code_type TEXT NOT NULL, receiver_id TEXT, receiver_name_masked TEXT,
          device_id TEXT NOT NULL, issued_at TEXT NOT NULL, called_at TEXT, counter TEXT, done_at TEXT,
          -- the order tickets are called in: the issue order, until one is put back behind those waiting
          queue_order INTEGER NOT NULL,
          -- calls in all (recalls included), and since it last joined the queue (the no-show rule counts these)
          calls INTEGER NOT NULL DEFAULT 0, round_calls INTEGER NOT NULL DEFAULT 0,
          cancel_reason TEXT,
          -- why a closed ticket closed: handover (its last item handed over here), settled (nothing left
          -- to hand over: collected elsewhere, withdrawn, rejected), staff (cancelled)
          closed_by TEXT CHECK (closed_by IN ('handover', 'settled', 'staff')),
          -- the code it was issued for, re-checked at handover (null on tickets issued before v4)
          code_kid TEXT, code_pwv INTEGER,
          UNIQUE (office, day, number));
        INSERT INTO tickets (id, office, day, seq_in_day, number, status, code_key, code_type, receiver_id, receiver_name_masked,
                             device_id, issued_at, called_at, counter, done_at, queue_order, calls, round_calls, closed_by)
          SELECT id, office, day, seq_in_day, number, status, code_key, code_type, receiver_id, receiver_name_masked,
                 device_id, issued_at, called_at, counter, done_at, seq_in_day,
                 called_at IS NOT NULL, called_at IS NOT NULL,
                 CASE status WHEN 'done' THEN 'handover' WHEN 'cancelled' THEN 'staff' END
          FROM tickets_before_v4;
        DROP TABLE tickets_before_v4;
        CREATE INDEX tickets_queue ON tickets (office, day, status, queue_order);
        CREATE INDEX tickets_by_receiver ON tickets (receiver_id, day) WHERE receiver_id IS NOT NULL;
      `,
    },
    {
      version: 5,
      name: 'a feed record newer than a local registration wins when it suspends or deletes the receiver',
      // Before: a pending registration forced the receiver active over every feed record until the
      // hub answered, and for good with KIOSK_UPSTREAM=none. Now the change remembers the feed
      // position it was made at; see REGISTRATION_HOLDS.
      sql: `
        ALTER TABLE local_receiver_changes ADD COLUMN feed_seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE local_receiver_changes ADD COLUMN feed_id TEXT;
        UPDATE local_receiver_changes SET
          feed_seq = coalesce((SELECT CAST(value AS INTEGER) FROM cache_meta WHERE key = 'cursor'), 0),
          feed_id = (SELECT value FROM cache_meta WHERE key = 'feedId');
        DROP TRIGGER local_receiver_change_survives_update;
        DROP TRIGGER local_receiver_change_survives_insert;
        ${localReceiverChangeHolds('UPDATE')}
        ${localReceiverChangeHolds('INSERT')}
      `,
    },
  ],
};
