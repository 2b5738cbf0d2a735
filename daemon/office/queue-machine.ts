// The office queue as Raft's replicated state machine (sync/raft/types.ts StateMachine): each
// committed command is applied in one SQLite transaction with the index it was applied at, so a
// station that crashes mid-apply applies it again, once. Numbers and the "one holder, one ticket"
// rule are decided here, at apply time, by the same TicketStore and QueueRules one machine uses,
// with the log entry's time as "now": every station computes the same queue.
import type { Statement } from 'better-sqlite3';
import { z } from 'zod';
import type { LogEntry, StateMachine } from '../../sync/raft/types.js';
import type { QueueRules } from '../counter/queue-rules.js';
import type { TicketStore } from '../counter/tickets.js';
import type { Db } from '../store/db.js';
import { officeCommand, type Applied, type CommandResult, type OfficeCommand } from './commands.js';

type CommandEntry = Extract<LogEntry, { kind: 'command' }>;

/** The last two office days that have tickets: the queue a snapshot carries. */
const RECENT_DAYS = "(SELECT date(max(day), '-1 day') FROM tickets)";
/** Command answers kept for retries: pruned by log index, so every station prunes alike. */
const KEEP_ANSWERS = 10_000;

/**
 * What a snapshot holds, as rows: the tickets of the last two office days with their items (a
 * ticket is good for its day only; older ones are history, not queue), and the latest command
 * answers (a retry comes within minutes).
 */
const row = z.record(z.string().regex(/^[a-z_]{1,64}$/), z.union([z.string(), z.number(), z.null()]));
const queueSnapshot = z.object({
  tickets: z.array(row),
  items: z.array(row),
  commands: z.array(z.object({ id: z.string(), idx: z.number().int(), result: z.string() })),
});
type QueueSnapshot = z.infer<typeof queueSnapshot>;

export interface QueueMachineDeps {
  db: Db;
  tickets: TicketStore;
  rules: QueueRules;
  office: string;
  /** After each applied command's transaction commits (screens, displays); `fresh`: it acted now, not a repeat of an applied id. */
  onApplied: (applied: Applied, at: string, fresh: boolean) => void;
}

export class OfficeQueueMachine implements StateMachine {
  private readonly s: {
    applied: Statement<[], { idx: number }>;
    setApplied: Statement<[number]>;
    answer: Statement<[string], { result: string }>;
    remember: Statement<[string, number, string]>;
    forget: Statement<[number]>;
  };

  constructor(private readonly d: QueueMachineDeps) {
    this.s = {
      applied: d.db.prepare('SELECT idx FROM office_applied WHERE id = 1'),
      setApplied: d.db.prepare('UPDATE office_applied SET idx = ? WHERE id = 1'),
      answer: d.db.prepare('SELECT result FROM office_commands WHERE id = ?'),
      remember: d.db.prepare('INSERT INTO office_commands (id, idx, result) VALUES (?, ?, ?)'),
      forget: d.db.prepare('DELETE FROM office_commands WHERE idx < ?'),
    };
  }

  lastApplied(): number {
    return this.s.applied.get()!.idx;
  }

  apply(entry: CommandEntry): Applied {
    const parsed = officeCommand.safeParse(entry.command);
    const command = parsed.success ? parsed.data : null;
    let fresh = false;
    const result = this.d.db.transaction((): CommandResult => {
      this.s.setApplied.run(entry.index);
      if (!command) return { type: 'invalid', message: 'not an office queue command' };
      const earlier = this.s.answer.get(command.id);
      if (earlier) return JSON.parse(earlier.result) as CommandResult;
      fresh = true;
      const answer = this.run(command, entry);
      this.s.remember.run(command.id, entry.index, JSON.stringify(answer));
      if (entry.index % KEEP_ANSWERS === 0) this.s.forget.run(entry.index - KEEP_ANSWERS);
      return answer;
    })();
    const applied = { ...result, index: entry.index };
    this.d.onApplied(applied, entry.at, fresh);
    return applied;
  }

  skip(index: number): void {
    this.s.setApplied.run(index);
  }

  takeSnapshot(): QueueSnapshot {
    const { db } = this.d;
    return {
      tickets: db.prepare(`SELECT * FROM tickets WHERE day >= ${RECENT_DAYS} ORDER BY id`).all() as QueueSnapshot['tickets'],
      items: db.prepare(`SELECT i.* FROM ticket_items i JOIN tickets t ON t.id = i.ticket_id WHERE t.day >= ${RECENT_DAYS} ORDER BY i.ticket_id, i.receipt_number`).all() as QueueSnapshot['items'],
      commands: db.prepare('SELECT id, idx, result FROM office_commands ORDER BY idx').all() as QueueSnapshot['commands'],
    };
  }

  checkSnapshot(state: unknown): void {
    const parsed = queueSnapshot.safeParse(state);
    if (!parsed.success) throw new Error('not an office queue snapshot');
    // Column names become SQL: only the tables' own columns.
    for (const [table, rows] of [['tickets', parsed.data.tickets], ['ticket_items', parsed.data.items]] as const) {
      const columns = new Set((this.d.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
      for (const row of rows) for (const key of Object.keys(row)) if (!columns.has(key)) throw new Error(`not an office queue snapshot: ${table} has no column ${key}`);
    }
  }

  /** Called only with a state checkSnapshot() passed (sync/raft/node.ts). */
  restore(state: unknown, lastIncludedIndex: number): void {
    const snap = state as QueueSnapshot;
    const { db } = this.d;
    const firstDay = snap.tickets.map((t) => String(t['day'])).sort()[0];
    db.transaction(() => {
      // This station's copy is an earlier state of the same log: the days the snapshot holds are replaced.
      if (firstDay) {
        db.prepare('DELETE FROM ticket_items WHERE ticket_id IN (SELECT id FROM tickets WHERE day >= ?)').run(firstDay);
        db.prepare('DELETE FROM tickets WHERE day >= ?').run(firstDay);
      }
      db.exec('DELETE FROM office_commands');
      insertRows(db, 'tickets', snap.tickets);
      insertRows(db, 'ticket_items', snap.items);
      insertRows(db, 'office_commands', snap.commands);
      this.s.setApplied.run(lastIncludedIndex);
    })();
  }

  private run(c: OfficeCommand, entry: CommandEntry): CommandResult {
    const { tickets, rules, office } = this.d;
    const now = new Date(entry.at);
    switch (c.type) {
      case 'issue': {
        // One holder, one ticket: a scan of the same code at another kiosk a moment earlier holds it already.
        const own = tickets.sameHolder(c.codeType, c.receiverId, c.receipts, office, now);
        if (own) return { type: 'issue', ticketId: own.id, repeat: true };
        const { type: _type, ...fields } = c;
        const row = tickets.issue({ ...fields, office, now });
        return { type: 'issue', ticketId: row.id, repeat: false };
      }
      case 'handover': {
        if (tickets.get(c.ticketId)) tickets.handOver(c.ticketId, c.receiptNumber, now, c.finished);
        return { type: 'handover' };
      }
      case 'withdraw':
        return this.withdraw(c.issueId, entry);
      case 'settle':
        return { type: 'settle', closed: c.closes.flatMap((x) => tickets.closeSettled(x.ticketId, x.done, now)).map((t) => t.id) };
      case 'call-next':
        return moved(rules.callNext(c.counter, now));
      case 'call':
        return moved(rules.callByScan(c.ticketId, c.counter, now));
      case 'recall':
        return moved(rules.recall(c.ticketId, c.counter, now));
      case 'no-show':
        return moved(rules.noShow(c.ticketId, now));
      case 'requeue':
        return moved(rules.requeue(c.ticketId, now));
      case 'cancel':
        return moved(rules.cancel(c.ticketId, c.reason, now));
    }
  }

  /** A kiosk printed a slip instead of the ticket `issueId` would make: that ticket goes (while it waits), or none is made. */
  private withdraw(issueId: string, entry: CommandEntry): CommandResult {
    const earlier = this.s.answer.get(issueId);
    if (!earlier) {
      // Not in the log yet: answered now, so the issue, should it come, acts as a repeat and makes nothing.
      this.s.remember.run(issueId, entry.index, JSON.stringify({ type: 'invalid', message: 'withdrawn: the kiosk printed a go-to-the-counter slip' } satisfies CommandResult));
      return { type: 'withdraw', cancelled: null };
    }
    const issued = JSON.parse(earlier.result) as CommandResult;
    // A repeat found another scan's ticket: that one is its holder's, not the slip's.
    if (issued.type !== 'issue' || issued.repeat || this.d.tickets.get(issued.ticketId)?.status !== 'waiting') return { type: 'withdraw', cancelled: null };
    this.d.rules.cancel(issued.ticketId, 'withdrawn: the kiosk printed a go-to-the-counter slip instead', new Date(entry.at));
    return { type: 'withdraw', cancelled: issued.ticketId };
  }
}

/** Tickets of `day` a station holds although it never applied the office log: numbered on its own. */
export function ownTicketsBeforeOffice(db: Db, office: string, day: string): number {
  if ((db.prepare('SELECT idx FROM office_applied WHERE id = 1').get() as { idx: number }).idx > 0) return 0;
  return (db.prepare('SELECT count(*) AS n FROM tickets WHERE office = ? AND day = ?').get(office, day) as { n: number }).n;
}

function moved(m: ReturnType<QueueRules['recall']> | ReturnType<QueueRules['callNext']>): CommandResult {
  if ('ok' in m) return { type: 'move', refused: m.error, ticketId: null, effects: [] };
  return { type: 'move', refused: null, ticketId: m.answer.ticket?.id ?? null, effects: m.effects };
}

function insertRows(db: Db, table: string, rows: readonly Record<string, unknown>[]): void {
  const [first] = rows;
  if (!first) return;
  const columns = Object.keys(first);
  const insert = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
  for (const row of rows) insert.run(row);
}
