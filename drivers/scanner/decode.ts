// Scanner bytes → text. Decoded here, not by a UTF-8 line parser: a scanner set to Shift_JIS sends
// Kanji as Shift_JIS, and invalid UTF-8 must not silently become something that looks valid.
import iconv from 'iconv-lite';
import { normalizeScanText } from '../../protocol/scan-text.js';

export type ScanEncoding = 'utf-8' | 'ascii' | 'shift_jis';

export const SCAN_ENCODINGS: readonly ScanEncoding[] = ['utf-8', 'ascii', 'shift_jis'];

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function decodeScanBytes(frame: Uint8Array, encoding: ScanEncoding = 'utf-8'): string {
  switch (encoding) {
    case 'utf-8':
      return utf8.decode(frame);
    case 'ascii':
      // Bytes above 0x7f are not ASCII: show them as U+FFFD, as the UTF-8 decoder would.
      return Array.from(frame, (b) => (b < 0x80 ? String.fromCharCode(b) : '\ufffd')).join('');
    case 'shift_jis':
      return iconv.decode(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength), 'Shift_JIS');
  }
}

/** Decode then normalize (trim, strip an AIM id like `]Q1`): the text a scan carries. */
export function frameToText(frame: Uint8Array, encoding: ScanEncoding = 'utf-8'): string {
  return normalizeScanText(decodeScanBytes(frame, encoding));
}
