// Numbered tickets: office-unique per day (a prefix per device keeps two kiosks of one office apart),
// the items each holds, the waiting queue, where a ticket stands and the estimated wait. The rules
// for moving a ticket along (call, recall, no-show, requeue, cancel) are in queue-actions.ts.
import { randomUUID } from 'node:crypto';
import type { CalledTicket, TicketPosition, TicketStatus } from '../../protocol/events.js';
import type { Db } from '../store/db.js';
import type { OfficeClock } from './office-clock.js';

export interface TicketRow {
  id: string;
  office: string;
  day: string;
  seq_in_day: number;
  number: string;
  status: TicketStatus;
  code_key: string;
  code_type: 'APP' | 'AUTH';
  receiver_id: string | null;
  receiver_name_masked: string | null;
  device_id: string;
  issued_at: string;
  called_at: string | null;
  counter: string | null;
  done_at: string | null;
  queue_order: number;
  calls: number;
  round_calls: number;
  cancel_reason: string | null;
  closed_by: 'handover' | 'settled' | 'staff' | null;
  code_kid: string | null;
  code_pwv: number | null;
}

export interface NewTicket {
  office: string;
  prefix: string;
  codeKey: string;
  codeType: 'APP' | 'AUTH';
  /** The code's signing key and (AUTH) password version: re-checked at handover. */
  codeKid: string;
  codePasswordVersion: number | null;
  receiverId: string | null;
  receiverNameMasked: string | null;
  receipts: string[];
  deviceId: string;
  now: Date;
  /** The ticket's id; the office log names it in the command so every station stores the same (default: a new UUID). */
  id?: string;
}

/** Tickets still in the office's hands: waiting, called, or set aside as a no-show (it may be put back). */
const HOLDING = "('waiting', 'called', 'no-show')";
/** Application statuses after which nothing can be handed over for it. */
const FINISHED = "('collected', 'withdrawn', 'rejected')";
/** An item of ticket t that can still be handed over. A missing application cannot be. */
const ITEM_LEFT = `SELECT 1 FROM ticket_items i JOIN applications a ON a.receipt_number = i.receipt_number
                   WHERE i.ticket_id = t.id AND i.handed_over_at IS NULL AND a.status NOT IN ${FINISHED}`;

/** Used until the office has handed something over today. */
const DEFAULT_MINUTES_PER_TICKET = 4;
export const SETTLED_CANCEL_REASON = 'nothing left to hand over: every application on it was withdrawn or rejected';

/** The ticket queries, prepared once per database. */
function prepareStatements(db: Db) {
  return {
    byId: db.prepare('SELECT * FROM tickets WHERE id = ?'),
    holdersOf: db.prepare(
      `SELECT t.* FROM ticket_items i JOIN tickets t ON t.id = i.ticket_id
       WHERE i.receipt_number = ? AND i.handed_over_at IS NULL AND t.day = ? AND t.status IN ${HOLDING}
       ORDER BY t.status != 'called', t.queue_order`,
    ),
    // Found through the item (ticket_items_by_receipt), not by scanning the day's tickets: CROSS JOIN
    // keeps SQLite from starting at tickets_queue.
    sameHolder: db.prepare(
      `SELECT t.* FROM ticket_items i CROSS JOIN tickets t ON t.id = i.ticket_id
       WHERE i.receipt_number = ? AND i.handed_over_at IS NULL AND t.office = ? AND t.day = ? AND t.code_type = ? AND t.receiver_id IS ?
         AND t.status IN ('waiting', 'called', 'no-show', 'cancelled')
       ORDER BY t.queue_order DESC`,
    ),
    lastSeq: db.prepare('SELECT max(seq_in_day) AS n, max(queue_order) AS q FROM tickets WHERE office = ? AND day = ?'),
    insert: db.prepare(
      `INSERT INTO tickets (id, office, day, seq_in_day, number, status, code_key, code_type, receiver_id, receiver_name_masked, device_id, issued_at,
                            queue_order, code_kid, code_pwv)
       VALUES (?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertItem: db.prepare('INSERT INTO ticket_items (ticket_id, receipt_number) VALUES (?, ?)'),
    items: db.prepare('SELECT receipt_number, handed_over_at FROM ticket_items WHERE ticket_id = ? ORDER BY receipt_number'),
    finishedItems: db.prepare(
      `SELECT i.receipt_number FROM ticket_items i JOIN applications a ON a.receipt_number = i.receipt_number
       WHERE i.ticket_id = ? AND a.status IN ${FINISHED} ORDER BY i.receipt_number`,
    ).pluck(),
    waitingCount: db.prepare("SELECT count(*) AS n FROM tickets WHERE office = ? AND day = ? AND status = 'waiting'"),
    ahead: db.prepare("SELECT count(*) AS n FROM tickets WHERE office = ? AND day = ? AND status = 'waiting' AND queue_order < ?"),
    nextWaiting: db.prepare("SELECT * FROM tickets WHERE office = ? AND day = ? AND status = 'waiting' ORDER BY queue_order LIMIT 1"),
    call: db.prepare("UPDATE tickets SET status = 'called', called_at = ?, counter = ?, calls = calls + 1, round_calls = round_calls + 1 WHERE id = ?"),
    setAside: db.prepare("UPDATE tickets SET status = 'no-show' WHERE id = ?"),
    requeue: db.prepare("UPDATE tickets SET status = 'waiting', counter = NULL, round_calls = 0, queue_order = ? WHERE id = ?"),
    cancel: db.prepare("UPDATE tickets SET status = 'cancelled', cancel_reason = ?, done_at = ?, closed_by = 'staff' WHERE id = ?"),
    handOver: db.prepare('UPDATE ticket_items SET handed_over_at = ? WHERE ticket_id = ? AND receipt_number = ? AND handed_over_at IS NULL'),
    handedOverAny: db.prepare('SELECT EXISTS (SELECT 1 FROM ticket_items WHERE ticket_id = ? AND handed_over_at IS NOT NULL) AS n'),
    settleable: db.prepare(
      `SELECT t.*, EXISTS (SELECT 1 FROM ticket_items i LEFT JOIN applications a ON a.receipt_number = i.receipt_number
                           WHERE i.ticket_id = t.id AND (i.handed_over_at IS NOT NULL OR a.status = 'collected')) AS collected
       FROM tickets t WHERE t.office = ? AND t.day = ? AND t.status IN ${HOLDING} AND NOT EXISTS (${ITEM_LEFT})`,
    ),
    close: db.prepare(
      `UPDATE tickets SET status = ?, done_at = ?, closed_by = ?, cancel_reason = ? WHERE id = ? AND status IN ${HOLDING}`,
    ),
    nothingLeft: db.prepare(`SELECT NOT EXISTS (${ITEM_LEFT}) AS n FROM tickets t WHERE t.id = ?`),
    calledUnserved: db.prepare(
      `SELECT * FROM tickets WHERE office = ? AND day = ? AND status = 'called' AND counter = ? AND round_calls >= ?
         AND NOT EXISTS (SELECT 1 FROM ticket_items i WHERE i.ticket_id = tickets.id AND i.handed_over_at IS NOT NULL)`,
    ),
    open: db.prepare(`SELECT * FROM tickets WHERE office = ? AND day = ? AND status IN ${HOLDING} ORDER BY queue_order LIMIT ?`),
    recentlyCalled: db.prepare(
      `SELECT number, counter, called_at, calls FROM tickets WHERE office = ? AND day = ? AND status IN ('called', 'done') AND called_at IS NOT NULL
       ORDER BY called_at DESC LIMIT ?`,
    ),
    serviceTimes: db.prepare(
      `SELECT (julianday(done_at) - julianday(called_at)) * 1440 AS minutes FROM tickets
       WHERE office = ? AND day = ? AND status = 'done' AND closed_by = 'handover' AND called_at IS NOT NULL ORDER BY done_at DESC LIMIT 10`,
    ),
  };
}

export class TicketStore {
  private readonly s: ReturnType<typeof prepareStatements>;

  constructor(
    db: Db,
    private readonly clock: OfficeClock,
  ) {
    this.s = prepareStatements(db);
  }

  get(id: string): TicketRow | undefined {
    return this.s.byId.get(id) as TicketRow | undefined;
  }

  /**
   * The ticket a rescan shows again: today's ticket for the same holder (APP: the same application;
   * AUTH: the same receiver) that still holds every one of these items. One that was called, set
   * aside or cancelled is shown too, so the person hears where they stand rather than get a new number.
   */
  sameHolder(codeType: 'APP' | 'AUTH', receiverId: string | null, receipts: readonly string[], office: string, now: Date): TicketRow | undefined {
    const [first, ...rest] = receipts;
    if (first === undefined) return undefined;
    const candidates = this.s.sameHolder.all(first, office, this.clock.day(now), codeType, receiverId) as TicketRow[];
    return candidates.find((t) => {
      const held = new Set(this.items(t.id).filter((i) => i.handedOverAt === null).map((i) => i.receiptNumber));
      return rest.every((r) => held.has(r));
    });
  }

  /** Issue the next number of the day, at the back of the queue. Call inside the scan's transaction. */
  issue(t: NewTicket): TicketRow {
    const day = this.clock.day(t.now);
    const last = this.s.lastSeq.get(t.office, day) as { n: number | null; q: number | null };
    const seq = (last.n ?? 0) + 1;
    const id = t.id ?? randomUUID();
    const number = `${t.prefix}-${String(seq).padStart(3, '0')}`;
    this.s.insert.run(id, t.office, day, seq, number, t.codeKey, t.codeType, t.receiverId, t.receiverNameMasked, t.deviceId, t.now.toISOString(), (last.q ?? 0) + 1, t.codeKid, t.codePasswordVersion);
    for (const r of t.receipts) this.s.insertItem.run(id, r);
    return this.get(id)!;
  }

  /** Receipt numbers on the ticket whose application is collected, withdrawn or rejected (in the cache). */
  finishedItems(ticketId: string): string[] {
    return this.s.finishedItems.all(ticketId) as string[];
  }

  items(ticketId: string): { receiptNumber: string; handedOverAt: string | null }[] {
    return (this.s.items.all(ticketId) as { receipt_number: string; handed_over_at: string | null }[]).map((r) => ({
      receiptNumber: r.receipt_number,
      handedOverAt: r.handed_over_at,
    }));
  }

  waiting(office: string, now: Date): number {
    return (this.s.waitingCount.get(office, this.clock.day(now)) as { n: number }).n;
  }

  /** Waiting tickets × the recent average time from call to handover (Art. 19). */
  estimatedWaitMinutes(office: string, now: Date, waiting = this.waiting(office, now)): number {
    const samples = (this.s.serviceTimes.all(office, this.clock.day(now)) as { minutes: number }[]).map((r) => r.minutes);
    const perTicket = samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : DEFAULT_MINUTES_PER_TICKET;
    return Math.round(waiting * Math.max(0.5, perTicket));
  }

  /** Where a ticket stands, as the person holding it needs to hear it. */
  position(row: TicketRow, now: Date): TicketPosition {
    switch (row.status) {
      case 'waiting': {
        const ahead = (this.s.ahead.get(row.office, row.day, row.queue_order) as { n: number }).n;
        return { status: 'waiting', ahead, estimatedWaitMinutes: this.estimatedWaitMinutes(row.office, now, ahead) };
      }
      case 'called':
        return { status: 'called', counter: row.counter ?? '', calledAt: row.called_at ?? row.issued_at };
      case 'done':
        return { status: 'done' };
      case 'cancelled':
      case 'no-show':
        return { status: row.status };
    }
  }

  nextWaiting(office: string, now: Date): TicketRow | undefined {
    return this.s.nextWaiting.get(office, this.clock.day(now)) as TicketRow | undefined;
  }

  /** Call a ticket to a counter (again, for a recall): one more call. */
  call(ticketId: string, counter: string, now: Date): TicketRow {
    this.s.call.run(now.toISOString(), counter, ticketId);
    return this.get(ticketId)!;
  }

  /** Called and did not come: out of the queue, still holding its items (it may be put back). */
  setAside(ticketId: string): TicketRow {
    this.s.setAside.run(ticketId);
    return this.get(ticketId)!;
  }

  /** Back in the queue behind everyone waiting now; its calls start counting again. */
  requeue(ticketId: string): TicketRow {
    const row = this.get(ticketId)!;
    const last = this.s.lastSeq.get(row.office, row.day) as { q: number | null };
    this.s.requeue.run((last.q ?? 0) + 1, ticketId);
    return this.get(ticketId)!;
  }

  cancel(ticketId: string, reason: string, now: Date): TicketRow {
    this.s.cancel.run(reason, now.toISOString(), ticketId);
    return this.get(ticketId)!;
  }

  /** Tickets called to this counter `minCalls` times or more with nothing handed over: no-show candidates. */
  calledUnserved(office: string, counter: string, minCalls: number, now: Date): TicketRow[] {
    return this.s.calledUnserved.all(office, this.clock.day(now), counter, minCalls) as TicketRow[];
  }

  /**
   * Mark one item handed over; the ticket closes when nothing on it can be handed over any more.
   * `finished`: the office log decides from the ticket and the items the handing station saw as
   * finished (collected, withdrawn, rejected), not from this station's cache, so every station agrees.
   */
  handOver(ticketId: string, receiptNumber: string, now: Date, finished?: readonly string[]): void {
    this.s.handOver.run(now.toISOString(), ticketId, receiptNumber);
    const nothingLeft = finished
      ? this.items(ticketId).every((i) => i.handedOverAt !== null || finished.includes(i.receiptNumber))
      : (this.s.nothingLeft.get(ticketId) as { n: number } | undefined)?.n === 1;
    if (nothingLeft) {
      this.s.close.run('done', now.toISOString(), 'handover', null, ticketId);
    }
  }

  /**
   * Close today's tickets that hold nothing that can still be handed over: their items were collected
   * elsewhere (another ticket, another device), withdrawn or rejected. Done when something on them was
   * collected, cancelled otherwise. Call in a transaction; returns the tickets closed.
   */
  settle(office: string, now: Date): TicketRow[] {
    return this.settleable(office, now).flatMap(({ ticketId, done }) => this.closeSettled(ticketId, done, now));
  }

  /** Today's open tickets with nothing left (this station's cache says), and whether something on each was collected. */
  settleable(office: string, now: Date): { ticketId: string; done: boolean }[] {
    return (this.s.settleable.all(office, this.clock.day(now)) as (TicketRow & { collected: number })[]).map((r) => ({ ticketId: r.id, done: r.collected === 1 }));
  }

  /** Close a ticket with nothing left: done when something on it was collected, cancelled otherwise; [] when it was closed already. */
  closeSettled(ticketId: string, done: boolean, now: Date): TicketRow[] {
    const changed = this.s.close.run(done ? 'done' : 'cancelled', now.toISOString(), 'settled', done ? null : SETTLED_CANCEL_REASON, ticketId).changes;
    return changed ? [this.get(ticketId)!] : [];
  }

  /** Whether any of today's open tickets holds nothing left (a read: settle() only when this says so). */
  unsettled(office: string, now: Date): boolean {
    return (this.s.settleable.all(office, this.clock.day(now)) as unknown[]).length > 0;
  }

  /** Open tickets of today holding this application (not handed over under them), a called one first. */
  holders(receiptNumber: string, now: Date): TicketRow[] {
    return this.s.holdersOf.all(receiptNumber, this.clock.day(now)) as TicketRow[];
  }

  holding(receiptNumber: string, now: Date): TicketRow | undefined {
    return this.holders(receiptNumber, now)[0];
  }

  /** Today's tickets still in the office's hands (waiting, called, no-show), in queue order. */
  open(office: string, now: Date, limit = 1000): TicketRow[] {
    return this.s.open.all(office, this.clock.day(now), limit) as TicketRow[];
  }

  recentlyCalled(office: string, now: Date, limit = 6): CalledTicket[] {
    return (this.s.recentlyCalled.all(office, this.clock.day(now), limit) as { number: string; counter: string; called_at: string; calls: number }[]).map((r) => ({
      number: r.number,
      counter: r.counter,
      at: r.called_at,
      ...(r.calls > 1 ? { recall: true } : {}),
    }));
  }
}
