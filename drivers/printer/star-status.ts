// STAR line mode status: Automatic Status Back (ASB) frames and the ETB end-of-job counter.
// STAR line mode has no GS r and no DLE EOT. A printer answers `ESC ACK SOH` at once with an ASB
// frame (real time, even while offline), sends one by itself on a status change when ASB is on, and
// counts `ETB` commands in the frame once the data before each ETB has been printed. So: read the
// counter, send the ticket and an ETB after the cut; the ticket is out when the counter moved on.
// Frame layout (STAR Line Mode Command Specifications, appendix "Automatic Status"):
//   header 1: 0xx0xxx1, bits 1–3 and 5 = the frame's byte count (7 → 0x0F, 9 → 0x23)
//   header 2: version; bit 7 set = a 2-byte length and that many status-data bytes follow the frame
//   status 1 (byte 3): bit 5 cover open, bit 3 offline, bit 1 ETB executed
//   status 2 (byte 4): bit 6 head too hot, bit 5 unrecoverable, bit 3 auto-cutter, bit 2 mechanical error
//   status 4 (byte 6): bit 3 paper end, bit 2 / bit 1 paper near end (inner / outer)
//   status 6 (byte 8): ETB counter, bits 0–2 in bits 1–3 and bits 3–4 in bits 5–6 (counts 0…31)
import type { PrinterStatus } from './types.js';

/** ESC ACK SOH: send the ASB status now. */
export const STAR_STATUS_REQUEST = Buffer.from([0x1b, 0x06, 0x01]);
/** ETB: once everything before it is printed, count up the ETB counter (and send ASB if it is on). */
export const STAR_ETB = Buffer.from([0x17]);
/** CAN: cancel the print data the printer holds (a ticket stopped by paper end must not finish later). */
export const STAR_CANCEL = Buffer.from([0x18]);

export interface AsbFrame {
  status: PrinterStatus;
  /** null when the frame is too short to carry the counter (older versions). */
  etbCounter: number | null;
}

/** The byte count a header-1 byte announces, or null when it is not a header 1. */
export function asbLength(header1: number): number | null {
  if ((header1 & 0x91) !== 0x01) return null;
  const n = ((header1 >> 1) & 0x07) | ((header1 >> 2) & 0x08);
  return n >= 7 ? n : null;
}

export function encodeEtbCounter(counter: number): number {
  const c = counter & 0x1f;
  return ((c & 0x07) << 1) | ((c >> 3) << 5);
}

function decodeEtbCounter(b: number): number {
  return ((b >> 1) & 0x07) | (((b >> 5) & 0x03) << 3);
}

export function parseAsb(frame: readonly number[]): AsbFrame {
  const [s1 = 0, s2 = 0, , s4 = 0] = frame.slice(2);
  const coverOpen = (s1 & 0x20) !== 0;
  const offline = (s1 & 0x08) !== 0;
  const paperEnd = (s4 & 0x08) !== 0;
  const paperNearEnd = (s4 & 0x06) !== 0;
  const error = (s2 & 0x6c) !== 0;
  // As with DLE EOT: offline only because of paper or cover is "there, with a cause".
  const online = !(offline && !coverOpen && !paperEnd) && !error;
  const detail = error ? 'printer error' : offline && !coverOpen && !paperEnd ? 'offline' : undefined;
  return {
    status: { online, paperEnd, paperNearEnd, coverOpen, ...(detail ? { detail } : {}) },
    etbCounter: frame.length >= 8 ? decodeEtbCounter(frame[7]!) : null,
  };
}

/**
 * Cuts ASB frames out of the bytes a STAR printer sends, skipping anything else (XON/XOFF, noise)
 * and the extra status data of an Ethernet frame (header 2 bit 7: a 2-byte big-endian length).
 */
export class AsbReader {
  private buf: number[] = [];

  push(bytes: Iterable<number>): AsbFrame[] {
    this.buf.push(...bytes);
    const frames: AsbFrame[] = [];
    for (;;) {
      while (this.buf.length > 0 && asbLength(this.buf[0]!) === null) this.buf.shift();
      if (this.buf.length === 0) break;
      const n = asbLength(this.buf[0]!)!;
      if (this.buf.length < n) break;
      const extended = n >= 2 && (this.buf[1]! & 0x80) !== 0;
      let total = n;
      if (extended) {
        if (this.buf.length < n + 2) break;
        total = n + 2 + ((this.buf[n]! << 8) | this.buf[n + 1]!);
        if (this.buf.length < total) break;
      }
      frames.push(parseAsb(this.buf.slice(0, n)));
      this.buf.splice(0, total);
    }
    return frames;
  }
}

/** The frame a STAR printer in this state sends (version 3, 9 bytes; used by the virtual printer). */
export function asbBytes(s: { paperOut: boolean; coverOpen: boolean; nearEnd: boolean; etbCounter: number; etbExecuted: boolean }): Buffer {
  const offline = s.paperOut || s.coverOpen;
  return Buffer.from([
    0x23, // header 1: 9 bytes
    0x06, // header 2: version 3
    (s.coverOpen ? 0x20 : 0) | (offline ? 0x08 : 0) | (s.etbExecuted ? 0x02 : 0),
    0x00,
    0x00,
    (s.paperOut ? 0x08 : 0) | (s.nearEnd ? 0x04 : 0),
    0x00,
    encodeEtbCounter(s.etbCounter),
    0x00,
  ]);
}
