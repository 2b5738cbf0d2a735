// Printed operations → what a person would read off the paper: text lines (Kanji mode decoded as
// Shift_JIS), which lines were enlarged, QR payloads, and cuts. One DecodedTicket per cut, and one
// (cuts 0) for output that a new job (ESC @) followed before it was cut.
import iconv from 'iconv-lite';
import { parseEscPos, type Op } from './escpos-parser.js';
import type { PrinterType } from './types.js';

export interface DecodedTicket {
  /** Non-empty text lines, in order, trimmed. */
  lines: string[];
  /** Lines printed enlarged (e.g. the ticket number). */
  large: string[];
  /** Payloads of the QR codes printed. */
  qrPayloads: string[];
  /** 1 when the ticket ended with a cut; 0 for output not (yet) cut: a stub, or the trailing output. */
  cuts: number;
  /** Raster images printed (a layout that renders text as an image shows up here). */
  images: number;
}

export class TicketAssembler {
  private tickets: DecodedTicket[] = [];
  private current = TicketAssembler.empty();
  private line = '';
  private lineLarge = false;
  private kanji = false;
  private large = false;
  private qr: Buffer | null = null;

  private static empty(): DecodedTicket {
    return { lines: [], large: [], qrPayloads: [], cuts: 0, images: 0 };
  }

  add(op: Op): void {
    switch (op.op) {
      case 'text':
        this.line += this.kanji ? iconv.decode(op.bytes, 'Shift_JIS') : op.bytes.toString('latin1');
        if (this.large) this.lineLarge = true;
        break;
      case 'lf':
        this.endLine();
        break;
      case 'init':
        // A new job (ESC @) after output that was never cut: the stub of a ticket cut short.
        if (this.hasContent()) this.finish(0);
        this.kanji = false;
        this.large = false;
        break;
      case 'kanji':
        this.kanji = op.on;
        break;
      case 'size':
        this.large = op.large;
        break;
      case 'qr-store':
        this.qr = Buffer.from(op.data);
        break;
      case 'qr-print':
        if (this.qr) this.current.qrPayloads.push(this.qr.toString('utf8'));
        break;
      case 'image':
        this.current.images++;
        break;
      case 'cut':
        this.finish(1);
        break;
      default:
        break;
    }
  }

  /** Tickets so far, plus the uncut remainder when it has content. */
  result(): DecodedTicket[] {
    const pending = { ...this.current, lines: [...this.current.lines], large: [...this.current.large] };
    const tail = this.line.trim();
    if (tail) {
      pending.lines.push(tail);
      if (this.lineLarge) pending.large.push(tail);
    }
    const hasContent = pending.lines.length > 0 || pending.qrPayloads.length > 0 || pending.images > 0;
    return hasContent ? [...this.tickets, pending] : [...this.tickets];
  }

  private hasContent(): boolean {
    const c = this.current;
    return this.line.trim() !== '' || c.lines.length > 0 || c.qrPayloads.length > 0 || c.images > 0;
  }

  private finish(cuts: number): void {
    this.endLine();
    this.current.cuts = cuts;
    this.tickets.push(this.current);
    this.current = TicketAssembler.empty();
  }

  private endLine(): void {
    const text = this.line.trim();
    if (text) {
      this.current.lines.push(text);
      if (this.lineLarge) this.current.large.push(text);
    }
    this.line = '';
    this.lineLarge = false;
  }
}

/** Decode a whole captured stream (e.g. a file: printer's output). */
export function decodeEscPos(stream: Buffer, type: PrinterType = 'epson'): DecodedTicket[] {
  const assembler = new TicketAssembler();
  for (const op of parseEscPos(stream, type).ops) assembler.add(op);
  return assembler.result();
}
