// What a printed ticket shows; used for the first print and for reprints.
import type { TicketContent } from '../../drivers/index.js';
import type { TicketPosition } from '../../protocol/events.js';
import type { DaemonContext } from '../context.js';
import type { TicketRow } from './tickets.js';

/** Text a ticket's QR carries: letters, digits and '-' only, so a wedge types it the same on JIS and US. */
export const TICKET_QR_PREFIX = 'KT-';

export function ticketQrText(ticketId: string): string {
  return TICKET_QR_PREFIX + ticketId.toUpperCase();
}

/** The ticket id a scanned ticket QR names, or null when the text is not a ticket QR. */
export function ticketIdFromQr(text: string): string | null {
  const m = /^KT-([0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})$/i.exec(text.trim());
  return m ? m[1]!.toLowerCase() : null;
}

export function ticketContent(
  ctx: DaemonContext,
  ticket: TicketRow,
  itemCount: number,
  queue: { waiting: number; estimatedWaitMinutes: number | null },
  lines?: string[],
): TicketContent {
  const name = ctx.cache.view.officeName(ticket.office) ?? { ja: ticket.office, en: ticket.office };
  return {
    ticketId: ticketQrText(ticket.id),
    number: ticket.number,
    office: { code: ticket.office, name },
    issuedAt: new Date(ticket.issued_at),
    timeZone: ctx.clock.timeZone,
    itemCount,
    receiverNameMasked: ticket.receiver_name_masked,
    waiting: queue.waiting,
    estimatedWaitMinutes: queue.estimatedWaitMinutes,
    ...(lines ? { lines } : {}),
  };
}

/**
 * What a reprint says about where the ticket stands, as the rescan's screen does: the people ahead
 * (printed as "waiting") and the wait for a waiting ticket, the counter to go to for a called one.
 */
export function positionOnPaper(position: TicketPosition): { queue: { waiting: number; estimatedWaitMinutes: number | null }; lines: string[] } {
  switch (position.status) {
    case 'waiting':
      return { queue: { waiting: position.ahead, estimatedWaitMinutes: position.estimatedWaitMinutes }, lines: [] };
    case 'called':
      return { queue: { waiting: 0, estimatedWaitMinutes: null }, lines: [`${position.counter}番窓口へお越しください`, `Please go to counter ${position.counter}`] };
    case 'no-show':
      return { queue: { waiting: 0, estimatedWaitMinutes: null }, lines: ['お呼びしましたがお越しになりませんでした。窓口へお申し出ください。', 'You were called: please speak to the counter.'] };
    case 'done':
    case 'cancelled':
      return { queue: { waiting: 0, estimatedWaitMinutes: null }, lines: ['この番号札は終了しています。窓口へお申し出ください。', 'This ticket is closed: please speak to the counter.'] };
  }
}
