// Typed DOM events going up the tree (Home Assistant's fireEvent). Declare each event once here.
import type { VerdictEvent } from '../../../protocol/events.js';

export interface KioskDomEvents {
  /** A code to send as a typed scan (demo panel, wedge, counter scan box). */
  'kiosk-scan': { text: string; source: 'camera' | 'typed' };
  /** The verdict screen is done: back to idle. */
  'kiosk-dismiss': undefined;
  /** Self-service: reprint the ticket a repeat scan showed. */
  'kiosk-reprint': { scanId: string };
  /** A verdict shown on the self-service screen. */
  'kiosk-verdict': VerdictEvent;
  /** PIN pad: the digits so far, and whether OK was pressed. */
  'pin-change': { pin: string; submit: boolean };
  /** Counter: staff signed in. */
  'staff-signed-in': { staffId: string; token: string; expiresAt: string };
  /** Counter: confirm handing over one item. */
  'handover-confirm': { receiptNumber: string; ticketId?: string };
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
    'kiosk-verdict': CustomEvent<VerdictEvent>;
    'pin-change': CustomEvent<KioskDomEvents['pin-change']>;
    'staff-signed-in': CustomEvent<KioskDomEvents['staff-signed-in']>;
    'handover-confirm': CustomEvent<KioskDomEvents['handover-confirm']>;
    'conflict-resolve': CustomEvent<KioskDomEvents['conflict-resolve']>;
    'lookup-request': CustomEvent<KioskDomEvents['lookup-request']>;
    'ticket-select': CustomEvent<KioskDomEvents['ticket-select']>;
  }
}
