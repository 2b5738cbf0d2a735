// ESC/POS (EPSON) and STAR line-mode byte stream → operations, incrementally: an incomplete command
// at the end is left for the next chunk. Used by the virtual printer and its decoder; covers the
// commands node-thermal-printer emits plus the status and buffer commands (EPSON DLE EOT, GS r,
// DLE DC4 8; STAR ESC ACK SOH, ETB, ESC RS a/E, CAN), and skips the rest.
import type { PrinterType } from './types.js';

export type Op =
  | { op: 'text'; bytes: Buffer }
  | { op: 'lf' }
  | { op: 'init' }
  | { op: 'kanji'; on: boolean }
  | { op: 'size'; large: boolean }
  | { op: 'cut' }
  | { op: 'qr-store'; data: Buffer }
  | { op: 'qr-print' }
  | { op: 'image' }
  /** Real-time: answered at once, even while the printer is offline. */
  | { op: 'dle-eot'; n: number }
  | { op: 'clear-buffers' }
  /** GS r n: answered in order, after the data before it was printed. */
  | { op: 'gs-r'; n: number }
  /** STAR ESC ACK SOH: real-time ASB status request. */
  | { op: 'star-status' }
  /** STAR ETB: count up the ETB counter once the data before it is printed. */
  | { op: 'etb' }
  /** STAR ESC RS a n: automatic status back on (bit 0) or off. */
  | { op: 'asb-config'; on: boolean }
  /** STAR ESC RS E n: ETB counter to zero. */
  | { op: 'etb-reset' }
  | { op: 'other'; bytes: Buffer };

const ESC = 0x1b, GS = 0x1d, FS = 0x1c, DLE = 0x10, LF = 0x0a, ETB = 0x17, CAN = 0x18;

/** Returns the op and its length, or null when the buffer ends inside the command. */
type Step = { op: Op; len: number } | null;

function fixed(buf: Buffer, i: number, len: number, op?: Op): Step {
  if (i + len > buf.length) return null;
  return { op: op ?? { op: 'other', bytes: buf.subarray(i, i + len) }, len };
}

function epsonEsc(buf: Buffer, i: number): Step {
  const c = buf[i + 1]!;
  if (c === 0x40) return fixed(buf, i, 2, { op: 'init' });
  if (c === 0x21) return buf.length > i + 2 ? fixed(buf, i, 3, { op: 'size', large: (buf[i + 2]! & 0x30) !== 0 }) : null;
  if (c === 0x70) return fixed(buf, i, 5);
  if (c === 0x24 || c === 0x5c) return fixed(buf, i, 4);
  if (c === 0x32 || c === 0x3c) return fixed(buf, i, 2);
  if (c === 0x44) { const end = buf.indexOf(0, i + 2); return end < 0 ? null : fixed(buf, i, end - i + 1); }
  return fixed(buf, i, 3); // ESC a/E/-/G/M/R/t/3/J/d/e/V/{/U n …
}

function starEsc(buf: Buffer, i: number): Step {
  const c = buf[i + 1]!;
  if (c === 0x40) return fixed(buf, i, 2, { op: 'init' });
  if (c === 0x64) return buf.length > i + 2 ? fixed(buf, i, 3, { op: 'cut' }) : null;
  if (c === 0x45 || c === 0x46 || c === 0x34 || c === 0x35) return fixed(buf, i, 2);
  if (c === 0x24) return buf.length > i + 2 ? fixed(buf, i, 3, { op: 'kanji', on: buf[i + 2] !== 0 }) : null;
  if (c === 0x69) return buf.length > i + 3 ? fixed(buf, i, 4, { op: 'size', large: buf[i + 2] !== 0 || buf[i + 3] !== 0 }) : null;
  if (c === 0x1e) {
    if (buf.length < i + 4) return null;
    if (buf[i + 2] === 0x61) return fixed(buf, i, 4, { op: 'asb-config', on: (buf[i + 3]! & 0x01) !== 0 });
    if (buf[i + 2] === 0x45) return fixed(buf, i, 4, { op: 'etb-reset' });
    return fixed(buf, i, 4);
  }
  if (c === 0x06) return buf.length > i + 2 ? fixed(buf, i, 3, buf[i + 2] === 0x01 ? { op: 'star-status' } : undefined) : null;
  if (c === 0x44 || c === 0x42) { const end = buf.indexOf(0, i + 2); return end < 0 ? null : fixed(buf, i, end - i + 1); }
  if (c === 0x1d) {
    if (buf.length < i + 3) return null;
    const d = buf[i + 2]!;
    if (d === 0x61 || d === 0x74) return fixed(buf, i, 4);
    if (d === 0x79) {
      if (buf.length < i + 4) return null;
      const e = buf[i + 3]!;
      if (e === 0x50) return fixed(buf, i, 4, { op: 'qr-print' });
      if (e === 0x53) return fixed(buf, i, 6);
      if (e === 0x44) {
        if (buf.length < i + 8) return null;
        const n = buf[i + 6]! + buf[i + 7]! * 256;
        return fixed(buf, i, 8 + n, { op: 'qr-store', data: buf.subarray(i + 8, i + 8 + n) });
      }
    }
    return fixed(buf, i, 3);
  }
  return fixed(buf, i, 3);
}

function gsCommand(buf: Buffer, i: number): Step {
  const c = buf[i + 1]!;
  const at = (k: number) => buf[i + k];
  if (c === 0x21) return at(2) === undefined ? null : fixed(buf, i, 3, { op: 'size', large: at(2) !== 0 });
  if (c === 0x56) {
    const m = at(2);
    if (m === undefined) return null;
    return fixed(buf, i, m >= 0x41 ? 4 : 3, { op: 'cut' });
  }
  if (c === 0x72) return at(2) === undefined ? null : fixed(buf, i, 3, { op: 'gs-r', n: at(2)! });
  if (c === 0x28) {
    if (buf.length < i + 5) return null;
    const len = at(3)! + at(4)! * 256;
    if (buf.length < i + 5 + len) return null;
    const fn = at(2) === 0x6b ? at(6) : undefined;
    if (at(5) === 0x31 && fn === 0x50) return fixed(buf, i, 5 + len, { op: 'qr-store', data: buf.subarray(i + 8, i + 5 + len) });
    if (at(5) === 0x31 && fn === 0x51) return fixed(buf, i, 5 + len, { op: 'qr-print' });
    return fixed(buf, i, 5 + len);
  }
  if (c === 0x76) {
    if (buf.length < i + 8) return null;
    const n = (at(4)! + at(5)! * 256) * (at(6)! + at(7)! * 256);
    return fixed(buf, i, 8 + n, { op: 'image' });
  }
  if (c === 0x4c || c === 0x57 || c === 0x50) return fixed(buf, i, 4);
  if (c === 0x6b) {
    const m = at(2);
    if (m === undefined) return null;
    if (m <= 6) { const end = buf.indexOf(0, i + 3); return end < 0 ? null : fixed(buf, i, end - i + 1); }
    return at(3) === undefined ? null : fixed(buf, i, 4 + at(3)!);
  }
  return fixed(buf, i, 3);
}

function fsCommand(buf: Buffer, i: number): Step {
  const c = buf[i + 1]!;
  if (c === 0x26) return fixed(buf, i, 2, { op: 'kanji', on: true });
  if (c === 0x2e) return fixed(buf, i, 2, { op: 'kanji', on: false });
  if (c === 0x53 || c === 0x54) return fixed(buf, i, 4);
  return fixed(buf, i, 3); // FS C n, FS ! n, FS - n, FS W n
}

function dleCommand(buf: Buffer, i: number): Step {
  const c = buf[i + 1]!;
  if (c === 0x04) return buf.length > i + 2 ? fixed(buf, i, 3, { op: 'dle-eot', n: buf[i + 2]! }) : null;
  if (c === 0x14) {
    if (buf.length < i + 3) return null;
    const fn = buf[i + 2]!;
    if (fn === 0x08) return fixed(buf, i, 10, { op: 'clear-buffers' });
    return fixed(buf, i, 5);
  }
  return fixed(buf, i, 3); // DLE ENQ n
}

export function parseEscPos(buf: Buffer, type: PrinterType): { ops: Op[]; consumed: number } {
  const ops: Op[] = [];
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b >= 0x20 || b === 0x09) {
      let j = i;
      while (j < buf.length && (buf[j]! >= 0x20 || buf[j] === 0x09)) j++;
      ops.push({ op: 'text', bytes: buf.subarray(i, j) });
      i = j;
      continue;
    }
    if (b === LF || b === 0x0c || (b === 0x0b && type === 'star')) {
      ops.push({ op: 'lf' });
      i++;
      continue;
    }
    if (type === 'star' && (b === ETB || b === CAN)) {
      ops.push(b === ETB ? { op: 'etb' } : { op: 'clear-buffers' });
      i++;
      continue;
    }
    if (b !== ESC && b !== GS && b !== FS && b !== DLE) {
      i++; // CR and other controls print nothing
      continue;
    }
    if (i + 1 >= buf.length) break;
    const step = b === ESC ? (type === 'star' ? starEsc(buf, i) : epsonEsc(buf, i)) : b === GS ? gsCommand(buf, i) : b === FS ? fsCommand(buf, i) : dleCommand(buf, i);
    if (!step) break;
    ops.push(step.op);
    i += step.len;
  }
  return { ops, consumed: i };
}
