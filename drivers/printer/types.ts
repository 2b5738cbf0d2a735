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
  /** Printed again (a resend, or a reprint someone asked for): one 再発行 / REPRINT line at the top. */
  reprint?: boolean;
  /**
   * A "go to the counter" slip instead of a ticket (the office queue could not be reached): no
   * number, no queue figures, no QR; `number`, `waiting` and `estimatedWaitMinutes` are ignored.
   */
  slip?: boolean;
}

export interface PrinterStatus {
  /** Answered a status query and reports itself online. */
  online: boolean;
  paperEnd: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  detail?: string;
}

export interface PrintOptions {
  /**
   * How long to wait for the printer's own confirmation that the ticket is out (EPSON GS r, STAR
   * ETB counter). 0: do not ask for one; look at the status only. Default: the printer's printTimeoutMs.
   */
  confirmWaitMs?: number;
  /** Called once, right before the first byte of the ticket goes out. Throwing stops the job unsent. */
  beforeSend?: () => void;
}

export interface PrintResult {
  /**
   * `printer`: the printer confirmed the ticket was printed. `status`: no confirmation came (the
   * printer cannot give one, or was not asked), but it reported ready after the ticket was sent.
   */
  confirmedBy: 'printer' | 'status';
  status: PrinterStatus;
}

/** KioskError PRINTER_UNAVAILABLE context: `sent` = ticket bytes went out, so it may be (partly) on paper. */
export interface PrintFailure {
  target: string;
  status: PrinterStatus;
  sent: boolean;
  /** Why, in a few words (e.g. "paper end", "connection lost while printing: …"). */
  reason: string;
}

export interface TicketPrinter {
  /**
   * Sends the ticket once the printer reports ready. Resolves when it is printed (confirmed, or ready
   * after sending: see PrintResult); throws KioskError PRINTER_UNAVAILABLE (context: PrintFailure)
   * otherwise, or a plain Error when the ticket cannot be rendered (it never will be).
   */
  print(ticket: TicketContent, options?: PrintOptions): Promise<PrintResult>;
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
