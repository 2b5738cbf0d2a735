// Self-service effects of an accepted APP/AUTH (docs/decision-table.md; daemon/README.md): a numbered
// ticket holding every item the scan accepted, printed; the same holder's ticket shown again (with
// where it stands now) while it holds them all; none while closed or when the queue is full.
import type { VerdictEvent } from '../../protocol/events.js';
import type { LocalizedText, Verdict } from '../../protocol/verdict.js';
import { maskName, maskReceipt } from '../audit/mask.js';
import type { DaemonContext } from '../context.js';
import type { Payload } from '../core/kq1.js';
import { isOpen, nextOpening } from '../counter/hours.js';
import { ticketContent } from '../counter/ticket-content.js';
import type { NewTicket, TicketRow } from '../counter/tickets.js';

export type TicketOutcome = Pick<VerdictEvent, 'ticket' | 'repeat' | 'noTicket' | 'queue' | 'position' | 'verdict'>;

export class SelfServiceTickets {
  constructor(private readonly ctx: DaemonContext) {}

  /** Call inside the scan's transaction. `code`: the accepted code's payload (its key and password version go on the ticket). */
  ticketFor(verdict: Verdict, code: Payload, deviceId: string, now: Date): Partial<TicketOutcome> {
    const checked = this.before(verdict, now);
    if ('outcome' in checked) return checked.outcome;
    const ticket = this.ctx.tickets.issue(this.newTicket(verdict, code, deviceId, now));
    return this.issued(ticket, verdict, checked.before, checked.alsoOn, deviceId, now);
  }

  /**
   * Everything decided before a number is drawn: the same holder's ticket shown again, closed, queue
   * full; otherwise the queue now and the open tickets that already hold some of these items.
   */
  before(verdict: Verdict, now: Date): { outcome: Partial<TicketOutcome> } | { before: Queue; alsoOn: AlsoOn[] } {
    const { config, tickets } = this.ctx;
    const receipts = verdict.applications.map((a) => a.receiptNumber);
    // The same holder again (APP: this application; AUTH: this receiver), and their ticket still holds
    // everything: show it and where it stands, never a second number.
    const own = tickets.sameHolder(verdict.codeType as 'APP' | 'AUTH', verdict.receiver?.id ?? null, receipts, config.office, now);
    if (own) return { outcome: this.repeat(own, now) };

    if (!isOpen(this.ctx.hours, now)) {
      const opensAt = nextOpening(this.ctx.hours, now);
      return {
        outcome: {
          ticket: null,
          noTicket: {
            reason: 'CLOSED',
            opensAt: opensAt?.toISOString() ?? null,
            message: {
              ja: `ただいま窓口の受付時間外です。${opensAt ? `${this.ctx.clock.format(opensAt, 'ja')}から受け付けます。` : ''}コードは有効です。`,
              en: `The counter is closed now.${opensAt ? ` It opens ${this.ctx.clock.format(opensAt, 'en')}.` : ''} Your code is valid.`,
            },
          },
        },
      };
    }
    const before = this.queue(now);
    if (before.waiting >= config.maxWaiting) {
      return {
        outcome: {
          ticket: null,
          queue: before,
          noTicket: { reason: 'QUEUE_FULL', message: { ja: '大変混み合っています。窓口へお越しください。', en: 'It is very busy. Please go to the counter.' } },
        },
      };
    }
    // A new ticket holds every item this scan accepted, also those an open ticket of someone else (or
    // of an earlier, smaller scan) holds already: the ticket is bound to this code, and whichever is
    // served first hands them over; the other then drops them by itself. It says which they are.
    const alsoOn = receipts.flatMap((r) => tickets.holders(r, now).slice(0, 1).map((t) => ({ receipt: r, number: t.number })));
    return { before, alsoOn };
  }

  /** The ticket this accepted code gets (its number is drawn by TicketStore.issue). */
  newTicket(verdict: Verdict, code: Payload, deviceId: string, now: Date): NewTicket {
    const codeType = verdict.codeType as 'APP' | 'AUTH';
    return {
      office: this.ctx.config.office,
      prefix: this.ctx.config.ticketPrefix,
      codeKey: `${codeType}:${verdict.jti}`,
      codeType,
      codeKid: code.kid,
      codePasswordVersion: code.typ === 'AUTH' ? code.pwv : null,
      receiverId: verdict.receiver?.id ?? null,
      receiverNameMasked: verdict.receiver ? maskName(verdict.receiver.name) : null,
      receipts: verdict.applications.map((a) => a.receiptNumber),
      deviceId,
      now,
    };
  }

  /** A ticket issued for this scan: its audit row and upstream event, printed. Call in a transaction. */
  issued(ticket: TicketRow, verdict: Verdict, before: Queue, alsoOn: AlsoOn[], deviceId: string, now: Date): Partial<TicketOutcome> {
    const receipts = verdict.applications.map((a) => a.receiptNumber);
    const audit = this.ctx.audit;
    audit.append({ type: 'ticket', deviceId, at: now, data: { ticketId: ticket.id, number: ticket.number, items: receipts.map((r) => audit.receipt(r)), alsoOn: alsoOn.map((a) => a.number) } });
    this.ctx.outbox.add({ id: ticket.id, type: 'ticket', at: now, data: { ticketId: ticket.id, number: ticket.number, deviceId, items: receipts } }, now);
    const note = alsoOnNote(alsoOn);
    this.ctx.printQueue?.enqueue(ticket.id, ticketContent(this.ctx, ticket, receipts.length, before, note ? [note.ja, note.en] : undefined));
    return {
      ticket: { id: ticket.id, number: ticket.number },
      queue: before,
      position: this.ctx.tickets.position(ticket, now),
      ...(note ? { verdict: { ...verdict, message: { ja: `${verdict.message.ja}${note.ja}`, en: `${verdict.message.en} ${note.en}` } } } : {}),
    };
  }

  /** The same holder's ticket, shown again with where it stands. */
  repeat(own: TicketRow, now: Date): Partial<TicketOutcome> {
    return { ticket: { id: own.id, number: own.number }, repeat: true, position: this.ctx.tickets.position(own, now), queue: this.queue(now) };
  }

  private queue(now: Date): Queue {
    const waiting = this.ctx.tickets.waiting(this.ctx.config.office, now);
    return { waiting, estimatedWaitMinutes: this.ctx.tickets.estimatedWaitMinutes(this.ctx.config.office, now, waiting) };
  }
}

type Queue = { waiting: number; estimatedWaitMinutes: number };
export type AlsoOn = { receipt: string; number: string };

/** Why a person may hold two tickets: some of their items were already on another one. */
function alsoOnNote(alsoOn: AlsoOn[]): LocalizedText | null {
  if (alsoOn.length === 0) return null;
  const list = alsoOn.map((a) => `${maskReceipt(a.receipt).replace(/^\*+/, '…')} → ${a.number}`).join(', ');
  return {
    ja: `（${list} は別の番号札にも載っています。先に呼ばれた番号でお受け取りください。）`,
    en: `(${list}: also on another ticket; collect with whichever number is called first.)`,
  };
}
