// KIOSK_PRINTER → a TicketPrinter: tcp://host:port (tcp-printer.ts, EPSON or STAR status protocol),
// file:/path (a device file or capture file: written, never read), or none.
import { open, access, constants } from 'node:fs/promises';
import { KioskError } from '../../protocol/errors.js';
import { NO_ANSWER } from './dialects.js';
import { printFailure, TcpTicketPrinter, type PrinterOptions } from './tcp-printer.js';
import { renderTicket } from './ticket-layout.js';
import type { PrinterStatus, PrinterType, PrintOptions, PrintResult, TicketContent, TicketPrinter } from './types.js';

export type { PrinterOptions } from './tcp-printer.js';

/** A device file (/dev/usb/lp0) or a capture file: written, not read, so status is only "writable". */
class FileTicketPrinter implements TicketPrinter {
  readonly target: string;

  constructor(
    private readonly path: string,
    private readonly type: PrinterType,
    private readonly opts: PrinterOptions,
  ) {
    this.target = `file:${path}`;
  }

  async status(): Promise<PrinterStatus> {
    try {
      await access(this.path, constants.W_OK);
      return { online: true, paperEnd: false, paperNearEnd: false, coverOpen: false, detail: 'file: no status channel; paper state unknown' };
    } catch (e) {
      return { ...NO_ANSWER, detail: `not writable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
    }
  }

  /** Never confirmed: a file cannot answer. Opening failed = not sent; writing failed = maybe partly sent. */
  async print(ticket: TicketContent, options: PrintOptions = {}): Promise<PrintResult> {
    const bytes = renderTicket(ticket, this.type, this.opts.layout);
    const file = await open(this.path, 'a').catch((e: Error) => {
      throw printFailure(this.target, { ...NO_ANSWER, detail: e.message }, false);
    });
    try {
      options.beforeSend?.();
      await file.write(bytes).catch((e: Error) => {
        throw printFailure(this.target, { ...NO_ANSWER, detail: e.message }, true);
      });
    } finally {
      await file.close().catch(() => undefined);
    }
    return { confirmedBy: 'status', status: await this.status() };
  }
}

class NoTicketPrinter implements TicketPrinter {
  readonly target = 'none';
  async status(): Promise<PrinterStatus> {
    return { ...NO_ANSWER, detail: 'no printer configured' };
  }
  async print(): Promise<PrintResult> {
    throw printFailure(this.target, await this.status(), false);
  }
}

/** KIOSK_PRINTER: tcp://host[:9100] | file:/path | none. Throws CONFIG_INVALID naming the variable. */
export function createPrinter(spec: string | undefined, type: PrinterType = 'epson', opts: PrinterOptions = {}): TicketPrinter {
  const s = (spec ?? 'none').trim();
  if (s === 'none' || s === '') return new NoTicketPrinter();
  const tcp = /^tcp:\/\/([^/:]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/.exec(s);
  if (tcp) {
    const port = tcp[2] === undefined ? 9100 : Number(tcp[2]);
    if (port < 1 || port > 65535) throw badPrinter(s, 'port must be 1–65535');
    return new TcpTicketPrinter(tcp[1]!.replace(/^\[|\]$/g, ''), port, type, opts);
  }
  const file = /^file:(\/.+)$/.exec(s);
  if (file) return new FileTicketPrinter(file[1]!, type, opts);
  throw badPrinter(s, 'expected tcp://host:port, file:/path or none');
}

function badPrinter(spec: string, why: string): KioskError {
  return new KioskError(`KIOSK_PRINTER: ${why} (got ${JSON.stringify(spec)})`, 'CONFIG_INVALID', { variable: 'KIOSK_PRINTER' });
}
