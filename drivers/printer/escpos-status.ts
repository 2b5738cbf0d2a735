// ESC/POS status: real-time DLE EOT queries (answered at once, even while offline) and GS r 1
// (answered in order, after the data before it was processed: our print confirmation).
import type { PrinterStatus } from './types.js';

export const DLE_EOT = (n: 1 | 2 | 3 | 4) => Buffer.from([0x10, 0x04, n]);
/** Printer status, offline cause, roll paper sensor: three one-byte answers, in this order. */
export const STATUS_QUERY = Buffer.concat([DLE_EOT(1), DLE_EOT(2), DLE_EOT(4)]);
/** GS r 1: transmit paper sensor status (processed in order with the print data). */
export const GS_R_PAPER = Buffer.from([0x1d, 0x72, 0x01]);
/** DLE DC4 fn=8: clear the receive and print buffers (drops a half-received job). */
export const CLEAR_BUFFERS = Buffer.from([0x10, 0x14, 0x08, 0x01, 0x03, 0x14, 0x01, 0x06, 0x02, 0x08]);

/** DLE EOT answers carry fixed bits: bit 1 and bit 4 set, bits 0 and 7 clear. */
export const isStatusByte = (b: number) => (b & 0x93) === 0x12;

export function parseDleEot(printer: number, offlineCause: number, paper: number): PrinterStatus {
  if (![printer, offlineCause, paper].every(isStatusByte)) {
    return { online: false, paperEnd: false, paperNearEnd: false, coverOpen: false, detail: 'unexpected status answer' };
  }
  const coverOpen = (offlineCause & 0x04) !== 0;
  const paperEnd = (paper & 0x60) !== 0 || (offlineCause & 0x20) !== 0;
  const paperNearEnd = (paper & 0x0c) !== 0;
  const error = (offlineCause & 0x40) !== 0;
  const offline = (printer & 0x08) !== 0;
  // A printer that is offline only because of paper end or an open cover is still "there": report it
  // online with the cause, so the screen can say "paper out" rather than "no printer".
  const online = !(offline && !coverOpen && !paperEnd) && !error;
  const detail = error ? 'printer error' : offline && !coverOpen && !paperEnd ? 'offline' : undefined;
  return { online, paperEnd, paperNearEnd, coverOpen, ...(detail ? { detail } : {}) };
}

/** GS r 1 answer: bits 2–3 roll paper end, bits 0–1 near end. */
export function parseGsR1(b: number): { paperEnd: boolean; paperNearEnd: boolean } {
  return { paperEnd: (b & 0x0c) !== 0, paperNearEnd: (b & 0x03) !== 0 };
}

/** The answers a printer in this state gives (used by the virtual printer). */
export function statusBytes(s: { paperOut: boolean; coverOpen: boolean; nearEnd: boolean }) {
  const offline = s.paperOut || s.coverOpen;
  return {
    1: 0x12 | (offline ? 0x08 : 0),
    2: 0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0),
    3: 0x12,
    4: 0x12 | (s.nearEnd ? 0x0c : 0) | (s.paperOut ? 0x60 : 0),
    gsR1: (s.nearEnd ? 0x03 : 0) | (s.paperOut ? 0x0c : 0),
  } as const;
}
