// A network printer (port 9100), EPSON or STAR: status first, then the ticket with a confirmation
// request, then the confirmation. A ticket is reported printed only when the printer confirmed it,
// or (PrintResult.confirmedBy 'status') when no confirmation came and the printer reports ready
// after it was sent: whether that counts as printed is the caller's policy. Once a byte of the
// ticket went out, a failure says so (`sent`), so the caller never resends it blindly.
import { KioskError, isKioskError } from '../../protocol/errors.js';
import { dialectFor, NO_ANSWER, type PrinterDialect, type StatusAnswer } from './dialects.js';
import { TcpLink } from './tcp-link.js';
import { renderTicket, type LayoutOptions } from './ticket-layout.js';
import { describeStatus, isReady, type PrintFailure, type PrinterStatus, type PrinterType, type PrintOptions, type PrintResult, type TicketContent, type TicketPrinter } from './types.js';

export interface PrinterOptions {
  /** Connect timeout (ms). Default 3000. */
  connectTimeoutMs?: number;
  /** How long to wait for a status answer (ms). Default 1000. */
  statusTimeoutMs?: number;
  /** How long to wait for the printer to confirm the ticket (ms). Default 10000. */
  printTimeoutMs?: number;
  layout?: LayoutOptions;
}

/** `why` defaults to what the status says; the status itself stays what the printer reported. */
export function printFailure(target: string, status: PrinterStatus, sent: boolean, why = describeStatus(status)): KioskError {
  const context: PrintFailure = { target, status, sent, reason: why };
  return new KioskError(`printer ${target}: ${why}${sent ? ' (the ticket was sent; it may be on paper)' : ''}`, 'PRINTER_UNAVAILABLE', { ...context });
}

export class TcpTicketPrinter implements TicketPrinter {
  readonly target: string;
  private readonly dialect: PrinterDialect;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly type: PrinterType,
    private readonly opts: PrinterOptions,
  ) {
    this.target = `tcp://${host}:${port}`;
    this.dialect = dialectFor(type);
  }

  async status(): Promise<PrinterStatus> {
    return (await this.freshStatus()).status;
  }

  async print(ticket: TicketContent, options: PrintOptions = {}): Promise<PrintResult> {
    const bytes = renderTicket(ticket, this.type, this.opts.layout); // throws for a ticket that can never print
    const waitMs = options.confirmWaitMs ?? this.opts.printTimeoutMs ?? 10_000;
    const link = await this.connect().catch((e: Error) => {
      throw printFailure(this.target, { ...NO_ANSWER, detail: `cannot connect: ${e.message}` }, false);
    });
    try {
      const before = await this.dialect.status(link, this.statusTimeout()).catch((e: Error) => ({ status: { ...NO_ANSWER, detail: e.message } }));
      if (!isReady(before.status)) throw printFailure(this.target, before.status, false);
      options.beforeSend?.(); // the caller records "sent" first; if it cannot, nothing goes out
      return await this.sendAndConfirm(link, bytes, before, waitMs);
    } finally {
      link.close();
    }
  }

  /** From the first ticket byte on, every failure is `sent`. */
  private async sendAndConfirm(link: TcpLink, bytes: Buffer, before: StatusAnswer, waitMs: number): Promise<PrintResult> {
    try {
      await link.write(waitMs > 0 ? Buffer.concat([bytes, this.dialect.confirmRequest]) : bytes);
      if (waitMs > 0) {
        const answer = await this.dialect.awaitConfirmation(link, before, waitMs);
        if (answer.kind === 'confirmed') return { confirmedBy: 'printer', status: answer.status };
        if (answer.kind === 'fault') {
          await this.clear(link);
          throw printFailure(this.target, answer.status, true);
        }
      }
    } catch (e) {
      if (isKioskError(e)) throw e;
      throw printFailure(this.target, await this.statusAfter(link), true, `sending failed: ${(e as Error).message}`);
    }
    // No confirmation (not asked, none came, or the printer hung up instead): what does it say now?
    const broken = link.broken;
    if (broken) throw printFailure(this.target, await this.statusAfter(link), true, `connection lost while printing: ${broken}`);
    const now = await this.statusAfter(link);
    if (isReady(now)) return { confirmedBy: 'status', status: now };
    await this.clear(link);
    throw printFailure(this.target, now, true);
  }

  private statusTimeout(): number {
    return this.opts.statusTimeoutMs ?? 1000;
  }

  private connect(): Promise<TcpLink> {
    return TcpLink.open(this.host, this.port, this.opts.connectTimeoutMs ?? 3000);
  }

  /** Status on a new connection (the printer may have closed the old one). */
  private async freshStatus(): Promise<StatusAnswer> {
    let link: TcpLink;
    try {
      link = await this.connect();
    } catch (e) {
      return { status: { ...NO_ANSWER, detail: `cannot connect: ${(e as Error).message}` } };
    }
    try {
      return await this.dialect.status(link, this.statusTimeout());
    } finally {
      link.close();
    }
  }

  private async statusAfter(link: TcpLink): Promise<PrinterStatus> {
    if (!link.closed) {
      const answer = await this.dialect.status(link, this.statusTimeout()).catch(() => ({ status: NO_ANSWER }));
      if (answer.status !== NO_ANSWER || !link.closed) return answer.status;
    }
    return (await this.freshStatus()).status;
  }

  /** Best effort: the printer may already be gone. */
  private async clear(link: TcpLink): Promise<void> {
    if (!link.closed) await link.write(this.dialect.clearBuffers).catch(() => undefined);
  }
}
