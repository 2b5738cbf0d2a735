import { randomBytes } from 'node:crypto';
import { base32 } from 'rfc4648';
import { describe, expect, it } from 'vitest';
import { base32ByteLength, decodeBase32Into } from './base32.js';

/** decodeBase32Into as a plain function: the bytes, or the failure. */
function decode(text: string): Uint8Array | string {
  const out = new Uint8Array(base32ByteLength(text.length));
  return decodeBase32Into(text, 0, out, 0) ?? out;
}

/**
 * The `rfc4648` package's answer to the same text: the oracle this decoder must agree with. Its loose
 * mode also reads 0, 1 and 8 as O, L and B, which a KQ1 code must not: the alphabet is checked first,
 * as decodeKq1 did before it had its own decoder.
 */
function oracle(text: string): Uint8Array | string {
  if (!/^[A-Za-z2-7]*$/.test(text)) return 'alphabet';
  try {
    return base32.parse(text.toUpperCase(), { loose: true });
  } catch {
    return 'length';
  }
}

describe('decodeBase32Into', () => {
  it('decodes what rfc4648 encodes, for every length from 0 to 300 bytes', () => {
    for (let n = 0; n <= 300; n++) {
      const bytes = randomBytes(n);
      const text = base32.stringify(bytes, { pad: false });
      expect(decode(text)).toEqual(new Uint8Array(bytes));
      expect(decode(text.toLowerCase())).toEqual(new Uint8Array(bytes));
    }
  });

  it('agrees with rfc4648 on random text, valid or not: bad characters, impossible lengths, non-zero leftover bits', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const strays = ['1', '8', '=', ' ', 'é', 'Ａ', '\u0141']; // \u0141 & 0xff would be 'A'
    for (let round = 0; round < 5000; round++) {
      const length = Math.floor(Math.random() * 40);
      let text = '';
      for (let i = 0; i < length; i++) {
        text += Math.random() < 0.02 ? strays[Math.floor(Math.random() * strays.length)] : alphabet[Math.floor(Math.random() * 32)];
      }
      expect(decode(text), JSON.stringify(text)).toEqual(oracle(text));
    }
  });

  it('writes from the offset it is given and nothing before it', () => {
    const out = new Uint8Array(3 + 5).fill(0xee);
    expect(decodeBase32Into('xxMFRGGZDF', 2, out, 3)).toBeNull();
    expect([...out]).toEqual([0xee, 0xee, 0xee, ...Buffer.from('abcde')]);
  });
});
