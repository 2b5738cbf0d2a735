// Protocol: print a ticket and read status over the printer's transport. Status is read with our
// own DLE EOT queries (node-thermal-printer's isPrinterConnected only checks the TCP connect), and
// a print is reported done only after the printer answered GS r 1 with paper present — a printer
// that ran out of paper mid-ticket does not answer (it holds the data), and we then clear its
// buffers so the held ticket is not printed later on top of our retry.
import { appendFile, access, constants } from 'node:fs/promises';
import { KioskError } from '../../protocol/errors.js';
import { CLEAR_BUFFERS, GS_R_PAPER, STATUS_QUERY, parseDleEot, parseGsR1 } from './escpos-status.js';
import { TcpLink } from './tcp-link.js';
import { renderTicket, type LayoutOptions } from './ticket-layout.js';
import { describeStatus, isReady, type PrinterStatus, type PrinterType, type TicketContent, type TicketPrinter } from './types.js';

export interface PrinterOptions {
  /** Connect timeout (ms). Default 3000. */
  connectTimeoutMs?: number;
  /** How long to wait for a status answer (ms). Default 1000. */
  statusTimeoutMs?: number;
  /** How long to wait for the ticket to be printed (ms). Default 10000. */
  printTimeoutMs?: number;
  layout?: LayoutOptions;
}

const NO_ANSWER: PrinterStatus = { online: false, paperEnd: false, paperNearEnd: false, coverOpen: false, detail: 'no answer to status query' };

function unavailable(target: string, status: PrinterStatus): KioskError {
  return new KioskError(`printer ${target}: ${describeStatus(status)}`, 'PRINTER_UNAVAILABLE', { target, status });
}

class TcpTicketPrinter implements TicketPrinter {
  readonly target: string;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly type: PrinterType,
    private readonly opts: PrinterOptions,
  ) {
    this.target = `tcp://${host}:${port}`;
  }

  async status(): Promise<PrinterStatus> {
    let link: TcpLink;
    try {
      link = await this.connect();
    } catch (e) {
      return { ...NO_ANSWER, detail: `cannot connect: ${(e as Error).message}` };
    }
    try {
      return await this.query(link);
    } finally {
      link.close();
    }
  }

  async print(ticket: TicketContent): Promise<void> {
    const bytes = renderTicket(ticket, this.type, this.opts.layout);
    let link: TcpLink;
    try {
      link = await this.connect();
    } catch (e) {
      throw unavailable(this.target, { ...NO_ANSWER, detail: `cannot connect: ${(e as Error).message}` });
    }
    try {
      const before = await this.query(link);
      if (!isReady(before)) throw unavailable(this.target, before);
      await link.write(this.type === 'epson' ? Buffer.concat([bytes, GS_R_PAPER]) : bytes);
      const after = await this.confirm(link, before);
      if (!isReady(after)) {
        await link.write(CLEAR_BUFFERS).catch(() => {});
        throw unavailable(this.target, after);
      }
    } catch (e) {
      if (e instanceof KioskError) throw e;
      throw unavailable(this.target, { ...NO_ANSWER, detail: (e as Error).message });
    } finally {
      link.close();
    }
  }

  private connect(): Promise<TcpLink> {
    return TcpLink.open(this.host, this.port, this.opts.connectTimeoutMs ?? 3000);
  }

  private async query(link: TcpLink): Promise<PrinterStatus> {
    link.discardPending();
    await link.write(STATUS_QUERY);
    const answer = await link.read(3, this.opts.statusTimeoutMs ?? 1000);
    if (!answer) return NO_ANSWER;
    return parseDleEot(answer[0]!, answer[1]!, answer[2]!);
  }

  /** EPSON: the GS r 1 answer comes once the ticket was processed. STAR line mode has no GS r: ask DLE EOT again. */
  private async confirm(link: TcpLink, before: PrinterStatus): Promise<PrinterStatus> {
    if (this.type === 'star') return this.query(link);
    const answer = await link.read(1, this.opts.printTimeoutMs ?? 10_000);
    if (!answer) {
      // Held (paper ran out or cover opened mid-ticket) or gone: say which if it still answers.
      const now = await this.query(link).catch(() => NO_ANSWER);
      return isReady(now) ? { ...NO_ANSWER, detail: 'ticket not confirmed by the printer' } : now;
    }
    return { ...before, ...parseGsR1(answer[0]!), online: true };
  }
}

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

  async print(ticket: TicketContent): Promise<void> {
    try {
      await appendFile(this.path, renderTicket(ticket, this.type, this.opts.layout));
    } catch (e) {
      throw unavailable(this.target, { ...NO_ANSWER, detail: (e as Error).message });
    }
  }
}

class NoTicketPrinter implements TicketPrinter {
  readonly target = 'none';
  async status(): Promise<PrinterStatus> {
    return { ...NO_ANSWER, detail: 'no printer configured' };
  }
  async print(): Promise<void> {
    throw unavailable(this.target, await this.status());
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
