// Ticket layout → ESC/POS bytes, built with node-thermal-printer's command set (EPSON or STAR).
// Japanese goes out in Kanji mode with Shift_JIS bytes (the library's JAPAN code page alone prints
// garbage): EPSON `FS C 1` + `FS &` … `FS .`; STAR line mode `ESC $ 1` … `ESC $ 0`.
import iconv from 'iconv-lite';
import thermal from 'node-thermal-printer';
import type { PrinterType, TicketContent } from './types.js';

const { ThermalPrinter, PrinterTypes } = thermal;

const KANJI: Record<PrinterType, { on: Buffer; off: Buffer }> = {
  epson: { on: Buffer.from([0x1c, 0x43, 0x01, 0x1c, 0x26]), off: Buffer.from([0x1c, 0x2e]) },
  star: { on: Buffer.from([0x1b, 0x24, 0x01]), off: Buffer.from([0x1b, 0x24, 0x00]) },
};
/** Number size: EPSON GS ! (4× wide and high), STAR ESC i (4× high and wide). */
const BIG: Record<PrinterType, Buffer> = {
  epson: Buffer.from([0x1d, 0x21, 0x33]),
  star: Buffer.from([0x1b, 0x69, 0x03, 0x03]),
};
const NORMAL_SIZE: Record<PrinterType, Buffer> = {
  epson: Buffer.from([0x1d, 0x21, 0x00]),
  star: Buffer.from([0x1b, 0x69, 0x00, 0x00]),
};

/**
 * STAR line-mode QR, built here: node-thermal-printer 4.6.1's STAR printQR omits the
 * `ESC GS y D 1 0` store command before nL nH, so a real Star printer prints the id as text and
 * an empty symbol.
 */
function starQr(data: string): Buffer {
  const bytes = Buffer.from(data, 'ascii');
  return Buffer.concat([
    Buffer.from([0x1b, 0x1d, 0x79, 0x53, 0x30, 0x02]), // model 2
    Buffer.from([0x1b, 0x1d, 0x79, 0x53, 0x31, 0x01]), // correction M
    Buffer.from([0x1b, 0x1d, 0x79, 0x53, 0x32, 0x06]), // cell size 6
    Buffer.from([0x1b, 0x1d, 0x79, 0x44, 0x31, 0x00, bytes.length & 0xff, bytes.length >> 8]),
    bytes,
    Buffer.from([0x1b, 0x1d, 0x79, 0x50]), // print
  ]);
}

/** The mark of a ticket printed again; printed once, at the top, when TicketContent.reprint is set. */
export const REPRINT_MARK = '再発行 / REPRINT';

export interface LayoutOptions {
  /** Printed at the top, e.g. 再発行 / REPRINT. */
  banner?: string;
}

/** One formatter per zone: building an Intl.DateTimeFormat costs more than formatting with it. */
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function formatTime(d: Date, timeZone: string): string {
  let format = timeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** Printed large at the top of a slip, where a ticket has its number. */
const SLIP_HEADING = '窓口へお越しください / Please go to the counter';

/** The text lines of a ticket (also what the UI preview shows); a slip has no number (''). */
export function ticketLines(t: TicketContent, opts: LayoutOptions = {}): { header: string[]; number: string; body: string[]; footer: string[] } {
  const top = [...(t.reprint ? [REPRINT_MARK] : []), ...(opts.banner ? [opts.banner] : []), t.office.name.ja, t.office.name.en];
  const body = [`発行 ${formatTime(t.issuedAt, t.timeZone)}`, `交付物 ${t.itemCount} 点 / ${t.itemCount} item${t.itemCount === 1 ? '' : 's'}`];
  if (t.slip) {
    return { header: [...top, SLIP_HEADING], number: '', body: [...body, ...(t.lines ?? [])], footer: ['この用紙を窓口でお見せください。', 'Show this slip at the counter.'] };
  }
  if (t.receiverNameMasked) body.push(`受取者 ${t.receiverNameMasked} 様`);
  body.push(`お待ちの方 ${t.waiting} 人 / waiting ${t.waiting}`);
  if (t.estimatedWaitMinutes !== null) body.push(`待ち時間の目安 約 ${t.estimatedWaitMinutes} 分 / about ${t.estimatedWaitMinutes} min`);
  body.push(...(t.lines ?? []));
  return {
    header: [...top, '受付番号 / Your number'],
    number: t.number,
    body,
    footer: ['番号が呼ばれたら窓口へお越しください。', t.ticketId],
  };
}

export function renderTicket(t: TicketContent, type: PrinterType, opts: LayoutOptions = {}): Buffer {
  // The library sizes the QR by string length: bytes and characters must agree.
  if (!/^[\x20-\x7e]{1,512}$/.test(t.ticketId)) throw new Error(`ticket id must be printable ASCII: ${JSON.stringify(t.ticketId)}`);
  if (!t.slip && !/^[\x20-\x7e]{1,16}$/.test(t.number)) throw new Error(`ticket number must be printable ASCII: ${JSON.stringify(t.number)}`);
  // No interface: the library only builds the bytes; our own transport sends them and reads status.
  const p = new ThermalPrinter({ type: type === 'star' ? PrinterTypes.STAR : PrinterTypes.EPSON, interface: '/dev/null', width: 42 });
  const kanjiLine = (text: string) => {
    p.add(KANJI[type].on);
    p.add(iconv.encode(text, 'Shift_JIS'));
    p.add(KANJI[type].off);
    p.newLine();
  };
  const lines = ticketLines(t, opts);
  p.add(Buffer.from([0x1b, 0x40])); // ESC @ (the typings lack initHardware)
  p.alignCenter();
  for (const line of lines.header) kanjiLine(line);
  p.newLine();
  if (lines.number) {
    p.add(BIG[type]);
    p.bold(true);
    p.add(Buffer.from(lines.number, 'ascii'));
    p.newLine();
    p.bold(false);
    p.add(NORMAL_SIZE[type]);
    p.newLine();
  }
  p.alignLeft();
  for (const line of lines.body) kanjiLine(line);
  p.newLine();
  p.alignCenter();
  // The QR calls the ticket at a counter; a slip has no ticket to call.
  if (!t.slip) {
    if (type === 'star') p.add(starQr(t.ticketId));
    else p.printQR(t.ticketId, { cellSize: 6, correction: 'M', model: 2 });
    p.newLine();
  }
  for (const line of lines.footer) kanjiLine(line);
  p.cut();
  return p.getBuffer();
}
