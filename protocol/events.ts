// Socket.IO wire types for the /kiosk and /staff namespaces (contract.md). Browser-safe.
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
  /** Why no ticket was issued for an accepted code (closed, queue full). */
  noTicket?: { reason: 'CLOSED' | 'QUEUE_FULL' | 'COUNTER_MODE'; message: LocalizedText; opensAt?: string | null };
  /** Crowding shown with a ticket (Art. 19). */
  queue?: { waiting: number; estimatedWaitMinutes: number | null };
  /** Set for a counter scan by a signed-in staff member; such verdicts go to /staff only. */
  staffId?: string;
}

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
  office: { code: string; name: LocalizedText | null };
  mode: 'kiosk' | 'counter';
  demo: boolean;
  upstream: { state: 'online' | 'offline' | 'standalone'; lastSyncAt: string | null; detail?: string };
  cache: { asOf: string | null; ageSeconds: number | null; stale: boolean };
  devices: DeviceHealth[];
  printer: PrinterHealth;
  queue: { waiting: number; estimatedWaitMinutes: number | null; capReached: boolean; recentlyCalled: CalledTicket[] };
  hours: { open: boolean; opensAt: string | null; closesAt: string | null };
  /** A run of rejected scans at one device (Art. 16): staff should look. */
  alerts: { deviceId: string; message: LocalizedText; at: string }[];
}

export interface CalledTicket {
  number: string;
  counter: string;
  at: string;
}

export type TicketStatus = 'waiting' | 'called' | 'done' | 'cancelled';

export interface TicketView {
  id: string;
  number: string;
  status: TicketStatus;
  issuedAt: string;
  calledAt: string | null;
  counter: string | null;
  codeType: 'APP' | 'AUTH';
  receiverNameMasked: string | null;
  items: (VerdictApplication & { handedOver: boolean })[];
}

export interface ConflictView {
  id: string;
  type: string;
  at: string;
  detail: unknown;
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
  scan: (p: { id: string; text: string }, ack: (r: { verdict: Verdict | null; ticket: TicketRef | null; items: TicketView | null } | ActionFailure) => void) => void;
  'call-next': (p: { id: string; counter: string }, ack: (r: { ticket: TicketView | null } | ActionFailure) => void) => void;
  handover: (p: { id: string; receiptNumber: string; ticketId?: string }, ack: (r: ActionAck) => void) => void;
  'register-receiver': (p: { id: string; text: string }, ack: (r: ActionAck<{ receiver: { id: string; name: string } }>) => void) => void;
  'apply-password-change': (p: { id: string; text: string }, ack: (r: ActionAck<{ receiver: { id: string; name: string } }>) => void) => void;
  reprint: (p: { id: string; ticketId: string }, ack: (r: ActionAck) => void) => void;
  lookup: (p: { id: string; receiptNumber: string; reason: string }, ack: (r: { application: (VerdictApplication & { status: string; office: string }) | null } | ActionFailure) => void) => void;
  'resolve-conflict': (p: { id: string; conflictId: string; note: string }, ack: (r: ActionAck) => void) => void;
}
