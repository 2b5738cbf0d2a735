// RFC 4648 base32 (no padding) decoding for the scan path. Pure: no I/O, never throws.
//
// Why not the `rfc4648` package, which the issuer still uses to encode: decoding a code's ~300
// characters took it 10.6 µs, 7 % of a whole verification, against 1.2 µs here (bench/README.md).
// This decoder reads eight characters into five bytes at a time and writes into a buffer the
// caller sized with room in front, so the signed bytes (`KQ1` + payload) need no second copy.
// base32.test.ts checks it against `rfc4648` on random input.

/** Value of each character code below 128, either case; -1 for anything outside the alphabet. */
const VALUE = new Int8Array(128).fill(-1);
for (let v = 0; v < 32; v++) {
  VALUE['ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.charCodeAt(v)] = v;
  VALUE['abcdefghijklmnopqrstuvwxyz234567'.charCodeAt(v)] = v;
}

/** The value of the character at `i`, or -1 outside the alphabet (including every code above 127). */
function valueAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 128 ? VALUE[c]! : -1;
}

/** Bytes that `length` base32 characters carry (whole bytes; leftover bits are not data). */
export function base32ByteLength(length: number): number {
  return Math.floor((length * 5) / 8);
}

export type Base32Failure = 'alphabet' | 'length';

/**
 * Decode `text` from character `from` on into `out` from byte `at` on (`out` must have
 * base32ByteLength bytes there). Either letter case. Returns a failure, or null when decoded. As
 * `rfc4648` in loose mode: a character outside the alphabet fails first; then a length no encoder
 * produces (1, 3 or 6 mod 8: five or more bits left over) or leftover bits that are not zero.
 */
export function decodeBase32Into(text: string, from: number, out: Uint8Array, at: number): Base32Failure | null {
  let i = from;
  let j = at;
  for (const whole = from + ((text.length - from) & ~7); i < whole; i += 8) {
    const a = valueAt(text, i), b = valueAt(text, i + 1), c = valueAt(text, i + 2), d = valueAt(text, i + 3);
    const e = valueAt(text, i + 4), f = valueAt(text, i + 5), g = valueAt(text, i + 6), h = valueAt(text, i + 7);
    if ((a | b | c | d | e | f | g | h) < 0) return 'alphabet';
    out[j++] = (a << 3) | (b >> 2);
    out[j++] = ((b & 3) << 6) | (c << 1) | (d >> 4);
    out[j++] = ((d & 15) << 4) | (e >> 1);
    out[j++] = ((e & 1) << 7) | (f << 2) | (g >> 3);
    out[j++] = ((g & 7) << 5) | h;
  }
  let pending = 0;
  let bits = 0;
  for (; i < text.length; i++) {
    const v = valueAt(text, i);
    if (v < 0) return 'alphabet';
    pending = ((pending << 5) | v) & 0xfff; // at most 7 + 5 bits are pending
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (pending >> bits) & 0xff;
    }
  }
  return bits >= 5 || (pending & ((1 << bits) - 1)) !== 0 ? 'length' : null;
}
