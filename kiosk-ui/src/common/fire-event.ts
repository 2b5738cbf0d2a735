// Typed DOM events going up the tree (Home Assistant's fireEvent). Declare each event once here.
import type { TicketView } from '../../../protocol/events.js';
import type { Lang } from './i18n.js';

/** Staff actions on one ticket (counter work panel → counter screen). */
export type TicketAction = 'recall' | 'no-show' | 'requeue' | 'cancel';

export interface KioskDomEvents {
  /** A code to send as a typed scan (demo panel, wedge). */
  'kiosk-scan': { text: string; source: 'camera' | 'typed' };
  /** The verdict screen is done: back to idle. */
  'kiosk-dismiss': undefined;
  /** Self-service: reprint the ticket a repeat scan showed. */
  'kiosk-reprint': { scanId: string };
  /** Show the screen in this language first. */
  'kiosk-language': { lang: Lang };
  /** PIN pad: the digits so far, and whether OK was pressed. */
  'pin-change': { pin: string; submit: boolean };
  /** Counter: staff signed in. */
  'staff-signed-in': { staffId: string; token: string; expiresAt: string };
  /** Counter: this station is this counter (one of KioskState.counters). */
  'counter-choose': { counter: string };
  /** Counter: hand one item over (recorded after the undo window). */
  'handover-confirm': { receiptNumber: string; ticketId?: string };
  /** Counter: take back a handover still inside its undo window. */
  'handover-undo': { receiptNumber: string };
  /** Counter: recall, no-show, requeue or cancel a ticket. */
  'ticket-action': { action: TicketAction; ticketId: string; reason?: string };
  /** Counter: the ticket being worked on changed (an action's answer; it may have left the queue). */
  'work-ticket': { ticket: TicketView };
  /** Counter: resolve one conflict with a note. */
  'conflict-resolve': { conflictId: string; note: string };
  /** Counter: a ticket in the queue was chosen. */
  'ticket-select': { ticketId: string };
  /** Counter: manual lookup by receipt number with a reason. */
  'lookup-request': { receiptNumber: string; reason: string };
}

export type KioskDomEventType = keyof KioskDomEvents;

export function fireEvent<T extends KioskDomEventType>(node: EventTarget, type: T, detail: KioskDomEvents[T]): void {
  node.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    'kiosk-scan': CustomEvent<KioskDomEvents['kiosk-scan']>;
    'kiosk-dismiss': CustomEvent<undefined>;
    'kiosk-reprint': CustomEvent<KioskDomEvents['kiosk-reprint']>;
    'kiosk-language': CustomEvent<KioskDomEvents['kiosk-language']>;
    'pin-change': CustomEvent<KioskDomEvents['pin-change']>;
    'staff-signed-in': CustomEvent<KioskDomEvents['staff-signed-in']>;
    'counter-choose': CustomEvent<KioskDomEvents['counter-choose']>;
    'handover-confirm': CustomEvent<KioskDomEvents['handover-confirm']>;
    'handover-undo': CustomEvent<KioskDomEvents['handover-undo']>;
    'ticket-action': CustomEvent<KioskDomEvents['ticket-action']>;
    'work-ticket': CustomEvent<KioskDomEvents['work-ticket']>;
    'conflict-resolve': CustomEvent<KioskDomEvents['conflict-resolve']>;
    'lookup-request': CustomEvent<KioskDomEvents['lookup-request']>;
    'ticket-select': CustomEvent<KioskDomEvents['ticket-select']>;
  }
}
