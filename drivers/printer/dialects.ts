// How each command set asks for status and for a print confirmation over a TcpLink.
// EPSON (ESC/POS): DLE EOT 1/2/4 real-time status; GS r 1 after the ticket is answered only once
// the ticket was processed (DLE EOT meanwhile shows a stop at once); DLE DC4 8 drops what it holds.
// STAR line mode: ESC ACK SOH real-time ASB status; ETB after the ticket counts up the ETB counter
// once the ticket is printed; CAN drops the print data (see star-status.ts).
import { CLEAR_BUFFERS, GS_R_PAPER, STATUS_QUERY, isStatusByte, parseDleEot, parseGsR1 } from './escpos-status.js';
import { AsbReader, STAR_CANCEL, STAR_ETB, STAR_STATUS_REQUEST } from './star-status.js';
import type { TcpLink } from './tcp-link.js';
import { isReady, type PrinterStatus, type PrinterType } from './types.js';

export const NO_ANSWER: PrinterStatus = { online: false, paperEnd: false, paperNearEnd: false, coverOpen: false, detail: 'no answer to status query' };

/** A status answer, with what the confirmation will be compared to (STAR: the ETB counter). */
export interface StatusAnswer {
  status: PrinterStatus;
  etbCounter?: number | null;
}

/** confirmed: printed. fault: the printer stopped (paper end, cover, error) before it was done. none: nothing came. */
export type Confirmation = { kind: 'confirmed'; status: PrinterStatus } | { kind: 'fault'; status: PrinterStatus } | { kind: 'none' };

export interface PrinterDialect {
  status(link: TcpLink, timeoutMs: number): Promise<StatusAnswer>;
  /** Sent right after the ticket to ask for a confirmation. */
  readonly confirmRequest: Buffer;
  awaitConfirmation(link: TcpLink, before: StatusAnswer, waitMs: number): Promise<Confirmation>;
  /** Drops what the printer holds, so a ticket stopped half-way is not finished on top of a resend. */
  readonly clearBuffers: Buffer;
}

/** How often to look at the real-time status while waiting for a confirmation (ms). */
const POLL_MS = 250;

const epson: PrinterDialect = {
  async status(link, timeoutMs) {
    link.discardPending();
    await link.write(STATUS_QUERY);
    const answer = await link.read(3, timeoutMs);
    return { status: answer ? parseDleEot(answer[0]!, answer[1]!, answer[2]!) : NO_ANSWER };
  },
  confirmRequest: GS_R_PAPER,
  /**
   * GS r is answered only after the data before it was processed: then the ticket is out. Meanwhile
   * DLE EOT (real time) shows a printer that stopped, at once rather than when the wait is over.
   * The two answers tell apart by bit 4: set in every DLE EOT byte, clear in a GS r 1 byte.
   */
  async awaitConfirmation(link, before, waitMs) {
    const deadline = Date.now() + waitMs;
    let statusBytes: number[] = [];
    let nextAsk = Date.now() + POLL_MS;
    while (Date.now() < deadline && !link.closed) {
      if (Date.now() >= nextAsk) {
        await link.write(STATUS_QUERY).catch(() => undefined);
        nextAsk = Date.now() + POLL_MS;
      }
      const bytes = await link.readSome(Math.max(1, Math.min(nextAsk, deadline) - Date.now()));
      for (const b of bytes ?? []) {
        if (!isStatusByte(b)) return { kind: 'confirmed', status: { ...before.status, ...parseGsR1(b), online: true } };
        statusBytes.push(b);
        if (statusBytes.length < 3) continue;
        const now = parseDleEot(statusBytes[0]!, statusBytes[1]!, statusBytes[2]!);
        statusBytes = [];
        if (!isReady(now)) return { kind: 'fault', status: now };
      }
    }
    return { kind: 'none' };
  },
  clearBuffers: CLEAR_BUFFERS,
};

/** Between two ESC ACK SOH: Star asks for one at a time, and a printer with ASB on sends by itself. */
const STAR_POLL_MS = POLL_MS;

const star: PrinterDialect = {
  async status(link, timeoutMs) {
    link.discardPending();
    await link.write(STAR_STATUS_REQUEST);
    const reader = new AsbReader();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const bytes = await link.readSome(deadline - Date.now());
      if (!bytes) break;
      const frame = reader.push(bytes)[0];
      if (frame) return { status: frame.status, etbCounter: frame.etbCounter };
    }
    return { status: NO_ANSWER };
  },
  confirmRequest: STAR_ETB,
  async awaitConfirmation(link, before, waitMs) {
    // Without a counter to compare, there is no confirmation to wait for.
    if (before.etbCounter === undefined || before.etbCounter === null) return { kind: 'none' };
    const expected = (before.etbCounter + 1) & 0x1f;
    const reader = new AsbReader();
    const deadline = Date.now() + waitMs;
    let asked = true; // a printer with ASB on says so by itself: give it a moment before asking
    while (Date.now() < deadline && !link.closed) {
      if (!asked) {
        await link.write(STAR_STATUS_REQUEST).catch(() => undefined);
        asked = true;
      }
      const bytes = await link.readSome(Math.min(STAR_POLL_MS, deadline - Date.now()));
      if (!bytes) {
        asked = false; // no frame for a while: ask again
        continue;
      }
      for (const frame of reader.push(bytes)) {
        asked = false;
        if (frame.etbCounter === expected) return { kind: 'confirmed', status: frame.status };
        // Stopped before the ETB: paper end, cover open or an error while printing.
        if (!isReady(frame.status)) return { kind: 'fault', status: frame.status };
      }
      if (!asked) await new Promise((r) => setTimeout(r, Math.min(STAR_POLL_MS, Math.max(0, deadline - Date.now()))));
    }
    return { kind: 'none' };
  },
  clearBuffers: STAR_CANCEL,
};

export function dialectFor(type: PrinterType): PrinterDialect {
  return type === 'star' ? star : epson;
}
