// Socket.IO wire types for the /kiosk and /staff namespaces. Browser-safe.
import type { ActionErrorCode } from './errors.js';
import type { LocalizedText, Verdict, VerdictApplication } from './verdict.js';

export type ScanSourceKind = 'serial' | 'hid' | 'camera' | 'typed';
export type DeviceStateName = 'connected' | 'disconnected' | 'error';

export interface TicketRef {
  id: string;
  /** What the person sees, hears and finds printed, e.g. A-023. */
  number: string;
}

export interface VerdictEvent {
  scanId: string;
  deviceId: string;
  source: ScanSourceKind;
  receivedAt: string;
  verdict: Verdict;
  ticket: TicketRef | null;
  /** The same text from the same device within a few seconds: the earlier answer, nothing changed. */
  duplicate?: boolean;
  /** A ticket already open for this code was shown again (offer a reprint, never a new number). */
  repeat?: boolean;
  /**
   * Why no ticket was issued for an accepted code: closed, queue full, or the office queue cannot
   * be reached from this station (it prints a "go to the counter" slip instead of a number).
   */
  noTicket?: { reason: 'CLOSED' | 'QUEUE_FULL' | 'COUNTER_MODE' | 'QUEUE_UNAVAILABLE'; message: LocalizedText; opensAt?: string | null };
  /** Where the ticket shown stands now (a rescan says this rather than "keep waiting" to someone already called). */
  position?: TicketPosition;
  /** Crowding shown with a ticket (Art. 19). */
  queue?: { waiting: number; estimatedWaitMinutes: number | null };
  /** Set for a counter scan by a signed-in staff member; such verdicts go to /staff only. */
  staffId?: string;
}

/** Where a ticket stands, as the person holding it needs to hear it. */
export type TicketPosition =
  | { status: 'waiting'; /** Tickets called before this one (not counting it). */ ahead: number; estimatedWaitMinutes: number | null }
  | { status: 'called'; counter: string; calledAt: string }
  | { status: 'done' }
  | { status: 'cancelled' | 'no-show' };

export interface DeviceHealth {
  id: string;
  kind: string;
  state: DeviceStateName;
  detail?: string;
}

export interface PrinterHealth {
  configured: boolean;
  online: boolean;
  paperEnd: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  pendingJobs: number;
  detail?: string;
  /** Whether the printer confirms what it printed (`status`: it cannot; sent + ready afterwards counts). */
  confirmation?: 'printer' | 'status' | 'unknown';
  /** Tickets set aside unprinted (never printable, or unconfirmed after one resend), newest first: staff should look. */
  failedJobs?: { jobId: string; number: string; reason: string; at: string }[];
  /** Recent things staff should know about printing (a marked resend, a ticket set aside), newest first. */
  notices?: { at: string; kind: 'resend' | 'failed' | 'cannot-confirm' | 'confirms'; jobId: string | null; number: string | null; message: string }[];
}

export interface KioskState {
  deviceId: string;
  /** timeZone: the office's IANA zone; screens show every time in it. */
  office: { code: string; name: LocalizedText | null; timeZone: string };
  mode: 'kiosk' | 'counter';
  demo: boolean;
  upstream: UpstreamState;
  cache: { asOf: string | null; ageSeconds: number | null; stale: boolean };
  devices: DeviceHealth[];
  printer: PrinterHealth;
  queue: { waiting: number; estimatedWaitMinutes: number | null; capReached: boolean; recentlyCalled: CalledTicket[] };
  /** The counter names a counter station may choose from (KIOSK_COUNTERS). */
  counters: string[];
  display: DisplaySettings;
  /** Procedure type names from the cache, by code (e.g. RENEW → 継続検査), so screens never show the code. */
  procedureTypes?: Record<string, LocalizedText>;
  hours: { open: boolean; opensAt: string | null; closesAt: string | null };
  /**
   * The office queue this station shares (KIOSK_QUEUE not local): `current` while it hears the
   * queue holder (or is it), `unavailable` when it cannot reach a majority of the office's stations.
   * Absent on a one-machine station.
   */
  officeQueue?: { state: 'current' | 'unavailable'; holder: string | null; stations: number };
  /** A run of rejected scans at one device (Art. 16): staff should look. */
  alerts: { deviceId: string; message: LocalizedText; at: string }[];
}

/** A skew beyond this is shown to staff: code expiry and opening hours are judged by this clock. */
export const CLOCK_SKEW_WARN_SECONDS = 120;

/** The link to the hub, as screens, /healthz, /metrics and `kiosk status` show it. */
export interface UpstreamState {
  /** standalone: no hub configured (data only by `kiosk import`); connecting: no answer yet since start. */
  state: 'online' | 'offline' | 'connecting' | 'standalone';
  /** When the current state began. */
  since: string | null;
  /** The last exchange the hub answered. */
  lastSyncAt: string | null;
  /** What went wrong last, in words (staff screens); null when all is well. */
  lastError: string | null;
  /** Hub clock minus this device's clock; over 2 minutes it is shown to staff, because expiry and hours depend on it. */
  clockSkewSeconds: number | null;
  /** Events waiting to be sent to the hub. */
  outboxDepth: number;
  detail?: string;
}

export interface CalledTicket {
  number: string;
  counter: string;
  at: string;
  /** Called again (a recall), not for the first time. */
  recall?: boolean;
}

/** no-show: called and did not come (set aside; may be put back in the queue). */
export type TicketStatus = 'waiting' | 'called' | 'done' | 'cancelled' | 'no-show';

/** How a wall display announces calls; kept in the daemon's configuration, not the browser. */
export interface DisplaySettings {
  /** Chime before each call. */
  chime: boolean;
  /** Speak each call, Japanese then English. */
  voice: boolean;
}

export interface TicketView {
  id: string;
  number: string;
  status: TicketStatus;
  issuedAt: string;
  calledAt: string | null;
  counter: string | null;
  /** How many times it has been called (recalls included). */
  calls: number;
  codeType: 'APP' | 'AUTH';
  receiverNameMasked: string | null;
  /**
   * Every item the ticket's scans accepted. `status` is the application's status now; an item whose
   * application was withdrawn or rejected after the ticket was issued is `closed` and cannot be handed over.
   */
  items: (VerdictApplication & { handedOver: boolean; status: string; closed: boolean })[];
  /** Why the ticket was cancelled, when it was. */
  cancelReason?: string | null;
}

export interface ConflictView {
  /** The event that conflicted. */
  id: string;
  type: string;
  at: string;
  /** The hub's reason: `{ code, message, … }` (or `{ refusedByHub }` for an event it would not take). */
  detail: unknown;
  /** The station whose event it was: this one, or another of the office. */
  deviceId: string;
  ownStation: boolean;
}

export interface CounterState {
  queue: TicketView[];
  conflicts: ConflictView[];
  outboxDepth: number;
}

export interface ActionError {
  code: ActionErrorCode;
  message: string;
}

export type ActionFailure = { ok: false; error: ActionError };

/** Acks of the /staff actions. */
export type ActionAck<T extends object = object> = ({ ok: true } & T) | ActionFailure;

export interface KioskServerEvents {
  verdict: (e: VerdictEvent) => void;
  state: (s: KioskState) => void;
  called: (c: CalledTicket) => void;
}

export interface KioskClientEvents {
  /** Camera or typed input from a kiosk screen; acked with the VerdictEvent. */
  scan: (p: { text: string; source: 'camera' | 'typed' }, ack: (e: VerdictEvent | ActionFailure) => void) => void;
  /** Reprint the ticket a repeat scan showed (VerdictEvent.repeat), once per such scan. */
  reprint: (p: { scanId: string }, ack: (r: ActionAck) => void) => void;
}

export interface StaffServerEvents extends KioskServerEvents {
  'counter-state': (s: CounterState) => void;
}

export interface StaffClientEvents {
  /** A KQ1 code gets a counter verdict; a ticket QR (KT-…) gets verdict null and the ticket's items. */
  /** `counter`: this station's counter number; a waiting ticket whose QR is scanned is called to it. */
  scan: (p: { id: string; text: string; counter?: string }, ack: (r: { verdict: Verdict | null; ticket: TicketRef | null; items: TicketView | null } | ActionFailure) => void) => void;
  'call-next': (p: { id: string; counter: string }, ack: (r: { ticket: TicketView | null } | ActionFailure) => void) => void;
  handover: (p: { id: string; receiptNumber: string; ticketId?: string }, ack: (r: ActionAck) => void) => void;
  'register-receiver': (p: { id: string; text: string }, ack: (r: ActionAck<{ receiver: { id: string; name: string } }>) => void) => void;
  'apply-password-change': (p: { id: string; text: string }, ack: (r: ActionAck<{ receiver: { id: string; name: string } }>) => void) => void;
  reprint: (p: { id: string; ticketId: string }, ack: (r: ActionAck) => void) => void;
  lookup: (p: { id: string; receiptNumber: string; reason: string }, ack: (r: { application: (VerdictApplication & { status: string; office: string }) | null } | ActionFailure) => void) => void;
  'resolve-conflict': (p: { id: string; conflictId: string; note: string }, ack: (r: ActionAck) => void) => void;
  /** Announce a called ticket again, to this counter. */
  recall: (p: { id: string; ticketId: string; counter: string }, ack: (r: ActionAck<{ ticket: TicketView }>) => void) => void;
  /** Called and did not come: set the ticket aside. */
  'no-show': (p: { id: string; ticketId: string }, ack: (r: ActionAck<{ ticket: TicketView }>) => void) => void;
  /** Put a called or no-show ticket back in the queue (behind those waiting now). */
  requeue: (p: { id: string; ticketId: string }, ack: (r: ActionAck<{ ticket: TicketView }>) => void) => void;
  cancel: (p: { id: string; ticketId: string; reason: string }, ack: (r: ActionAck<{ ticket: TicketView }>) => void) => void;
}
