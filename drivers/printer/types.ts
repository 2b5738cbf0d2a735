// What the daemon sees of the ticket printer.
export type PrinterType = 'epson' | 'star';

export interface TicketContent {
  ticketId: string;
  /** What the person sees, hears and finds printed, e.g. A-023. */
  number: string;
  office: { code: string; name: { ja: string; en: string } };
  issuedAt: Date;
  /** The office's IANA time zone: the issue time is printed in it. */
  timeZone: string;
  itemCount: number;
  receiverNameMasked: string | null;
  waiting: number;
  estimatedWaitMinutes: number | null;
  /** Extra lines printed under the details (Japanese allowed). */
  lines?: string[];
}

export interface PrinterStatus {
  /** Answered a status query and reports itself online. */
  online: boolean;
  paperEnd: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  detail?: string;
}

export interface TicketPrinter {
  /** Resolves once the printer confirmed the ticket; throws KioskError PRINTER_UNAVAILABLE (context.status) otherwise. */
  print(ticket: TicketContent): Promise<void>;
  status(): Promise<PrinterStatus>;
  /** Human-readable target, e.g. tcp://127.0.0.1:9100. */
  readonly target: string;
}

/** Ready to print: online, paper present, cover closed (near-end still prints). */
export function isReady(s: PrinterStatus): boolean {
  return s.online && !s.paperEnd && !s.coverOpen;
}

export function describeStatus(s: PrinterStatus): string {
  if (!s.online) return s.detail ?? 'offline';
  const problems = [s.paperEnd && 'paper end', s.coverOpen && 'cover open', s.paperNearEnd && 'paper near end'].filter(Boolean);
  return problems.length ? problems.join(', ') : 'ready';
}
