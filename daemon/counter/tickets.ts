// Numbered tickets: office-unique per day (a prefix per device keeps two kiosks of one office apart),
// the items each holds, the waiting queue and its estimated wait.
import { randomUUID } from 'node:crypto';
import type { CalledTicket, TicketStatus } from '../../protocol/events.js';
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
}

export interface NewTicket {
  office: string;
  prefix: string;
  codeKey: string;
  codeType: 'APP' | 'AUTH';
  receiverId: string | null;
  receiverNameMasked: string | null;
  receipts: string[];
  deviceId: string;
  now: Date;
}

/** Used until the office has handed something over today. */
const DEFAULT_MINUTES_PER_TICKET = 4;

/** The ticket queries, prepared once per database. */
function prepareStatements(db: Db) {
  return {
    byId: db.prepare('SELECT * FROM tickets WHERE id = ?'),
    openByReceipt: db.prepare(
      `SELECT t.* FROM ticket_items i JOIN tickets t ON t.id = i.ticket_id
       WHERE i.receipt_number = ? AND i.handed_over_at IS NULL AND t.day = ? AND t.status IN ('waiting', 'called') LIMIT 1`,
    ),
    lastSeq: db.prepare('SELECT max(seq_in_day) AS n FROM tickets WHERE office = ? AND day = ?'),
    insert: db.prepare(
      `INSERT INTO tickets (id, office, day, seq_in_day, number, status, code_key, code_type, receiver_id, receiver_name_masked, device_id, issued_at)
       VALUES (?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?)`,
    ),
    insertItem: db.prepare('INSERT INTO ticket_items (ticket_id, receipt_number) VALUES (?, ?)'),
    items: db.prepare('SELECT receipt_number, handed_over_at FROM ticket_items WHERE ticket_id = ? ORDER BY receipt_number'),
    waitingCount: db.prepare("SELECT count(*) AS n FROM tickets WHERE office = ? AND day = ? AND status = 'waiting'"),
    nextWaiting: db.prepare("SELECT * FROM tickets WHERE office = ? AND day = ? AND status = 'waiting' ORDER BY seq_in_day LIMIT 1"),
    call: db.prepare("UPDATE tickets SET status = 'called', called_at = ?, counter = ? WHERE id = ?"),
    handOver: db.prepare('UPDATE ticket_items SET handed_over_at = ? WHERE ticket_id = ? AND receipt_number = ? AND handed_over_at IS NULL'),
    remaining: db.prepare('SELECT count(*) AS n FROM ticket_items WHERE ticket_id = ? AND handed_over_at IS NULL'),
    close: db.prepare("UPDATE tickets SET status = 'done', done_at = ? WHERE id = ?"),
    open: db.prepare("SELECT * FROM tickets WHERE office = ? AND day = ? AND status IN ('waiting', 'called') ORDER BY seq_in_day LIMIT ?"),
    recentlyCalled: db.prepare('SELECT number, counter, called_at FROM tickets WHERE office = ? AND day = ? AND called_at IS NOT NULL ORDER BY called_at DESC LIMIT ?'),
    serviceTimes: db.prepare(
      `SELECT (julianday(done_at) - julianday(called_at)) * 1440 AS minutes FROM tickets
       WHERE office = ? AND day = ? AND status = 'done' AND called_at IS NOT NULL ORDER BY done_at DESC LIMIT 10`,
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
   * An open ticket of today still holding any of these applications. Matching by what is held, not
   * by the code, means a rescan finds the ticket its items wait on, and never one whose items went elsewhere.
   */
  openFor(receipts: readonly string[], now: Date): TicketRow | undefined {
    for (const r of receipts) {
      const held = this.holding(r, now);
      if (held) return held;
    }
    return undefined;
  }

  /** Issue the next number of the day. Call inside the scan's transaction. */
  issue(t: NewTicket): TicketRow {
    const day = this.clock.day(t.now);
    const seq = ((this.s.lastSeq.get(t.office, day) as { n: number | null }).n ?? 0) + 1;
    const id = randomUUID();
    const number = `${t.prefix}-${String(seq).padStart(3, '0')}`;
    this.s.insert.run(id, t.office, day, seq, number, t.codeKey, t.codeType, t.receiverId, t.receiverNameMasked, t.deviceId, t.now.toISOString());
    for (const r of t.receipts) this.s.insertItem.run(id, r);
    return this.get(id)!;
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

  /** Waiting tickets × the recent average service time (Art. 19). */
  estimatedWaitMinutes(office: string, now: Date, waiting = this.waiting(office, now)): number {
    const samples = (this.s.serviceTimes.all(office, this.clock.day(now)) as { minutes: number }[]).map((r) => r.minutes);
    const perTicket = samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : DEFAULT_MINUTES_PER_TICKET;
    return Math.round(waiting * Math.max(0.5, perTicket));
  }

  /** Call the oldest waiting ticket of today. */
  callNext(office: string, counter: string, now: Date): TicketRow | undefined {
    const next = this.s.nextWaiting.get(office, this.clock.day(now)) as TicketRow | undefined;
    return next && this.call(next.id, counter, now);
  }

  /** Call a ticket to a counter (again, for a recall). */
  call(ticketId: string, counter: string, now: Date): TicketRow | undefined {
    this.s.call.run(now.toISOString(), counter, ticketId);
    return this.get(ticketId);
  }

  /** Mark one item handed over; the ticket closes when it holds nothing more. */
  handOver(ticketId: string, receiptNumber: string, now: Date): void {
    this.s.handOver.run(now.toISOString(), ticketId, receiptNumber);
    if ((this.s.remaining.get(ticketId) as { n: number }).n === 0) this.s.close.run(now.toISOString(), ticketId);
  }

  /** The open ticket (today) holding this application, if any. */
  holding(receiptNumber: string, now: Date): TicketRow | undefined {
    return this.s.openByReceipt.get(receiptNumber, this.clock.day(now)) as TicketRow | undefined;
  }

  open(office: string, now: Date, limit = 1000): TicketRow[] {
    return this.s.open.all(office, this.clock.day(now), limit) as TicketRow[];
  }

  recentlyCalled(office: string, now: Date, limit = 6): CalledTicket[] {
    return (this.s.recentlyCalled.all(office, this.clock.day(now), limit) as { number: string; counter: string; called_at: string }[]).map((r) => ({
      number: r.number,
      counter: r.counter,
      at: r.called_at,
    }));
  }
}
