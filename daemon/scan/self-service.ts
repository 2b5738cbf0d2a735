// Self-service effects of an accepted APP/AUTH (domain.md): a numbered ticket holding the items,
// printed; the same ticket again while it is open; none while closed or when the queue is full.
import type { VerdictEvent } from '../../protocol/events.js';
import type { Verdict } from '../../protocol/verdict.js';
import { maskName } from '../audit/mask.js';
import type { DaemonContext } from '../context.js';
import { isOpen, nextOpening } from '../counter/hours.js';
import { ticketContent } from '../counter/ticket-content.js';

export type TicketOutcome = Pick<VerdictEvent, 'ticket' | 'repeat' | 'noTicket' | 'queue'>;

export class SelfServiceTickets {
  constructor(private readonly ctx: DaemonContext) {}

  /** Call inside the scan's transaction. */
  ticketFor(verdict: Verdict, deviceId: string, now: Date): TicketOutcome {
    const { config, tickets } = this.ctx;
    const receipts = verdict.applications.map((a) => a.receiptNumber);
    const codeKey = `${verdict.codeType}:${verdict.jti}`; // kept on the ticket for the audit trail
    const queue = () => {
      const waiting = tickets.waiting(config.office, now);
      return { waiting, estimatedWaitMinutes: tickets.estimatedWaitMinutes(config.office, now, waiting) };
    };

    const open = tickets.openFor(receipts, now);
    if (open) return { ticket: { id: open.id, number: open.number }, repeat: true, queue: queue() };

    if (!isOpen(this.ctx.hours, now)) {
      const opensAt = nextOpening(this.ctx.hours, now);
      return {
        ticket: null,
        noTicket: {
          reason: 'CLOSED',
          opensAt: opensAt?.toISOString() ?? null,
          message: {
            ja: `ただいま窓口の受付時間外です。${opensAt ? `${this.ctx.clock.format(opensAt, 'ja')}から受け付けます。` : ''}コードは有効です。`,
            en: `The counter is closed now.${opensAt ? ` It opens ${this.ctx.clock.format(opensAt, 'en')}.` : ''} Your code is valid.`,
          },
        },
      };
    }
    const before = queue();
    if (before.waiting >= config.maxWaiting) {
      return {
        ticket: null,
        queue: before,
        noTicket: { reason: 'QUEUE_FULL', message: { ja: '大変混み合っています。窓口へお越しください。', en: 'It is very busy. Please go to the counter.' } },
      };
    }

    const ticket = tickets.issue({
      office: config.office,
      prefix: config.ticketPrefix,
      codeKey,
      codeType: verdict.codeType as 'APP' | 'AUTH',
      receiverId: verdict.receiver?.id ?? null,
      receiverNameMasked: verdict.receiver ? maskName(verdict.receiver.name) : null,
      receipts,
      deviceId,
      now,
    });
    this.ctx.audit.append({ type: 'ticket', deviceId, at: now, data: { ticketId: ticket.id, number: ticket.number, items: receipts } });
    this.ctx.outbox.add({ id: ticket.id, type: 'ticket', at: now, data: { ticketId: ticket.id, number: ticket.number, deviceId, items: receipts } }, now);
    this.ctx.printQueue?.enqueue(ticket.id, ticketContent(this.ctx, ticket, receipts.length, before));
    return { ticket: { id: ticket.id, number: ticket.number }, queue: before };
  }
}
