import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.js';
import { maskCode, maskName, maskReceipt } from './mask.js';

describe('maskName', () => {
  it('keeps the first two characters', () => {
    expect(maskName('株式会社みなと自動車')).toBe('株式＊＊＊＊＊＊＊＊');
    expect(maskName('山田太郎')).toBe('山田＊＊');
    expect(maskName('Sato Motors')).toBe('Sa＊＊＊＊＊＊＊＊＊');
  });

  it('never shows a short name whole', () => {
    expect(maskName('森')).toBe('＊');
    expect(maskName('森田')).toBe('森＊');
    expect(maskName('')).toBe('');
    for (const name of ['森', '森田', '森田商', '𠮷野家']) expect(maskName(name)).not.toBe(name);
    expect(maskName('𠮷野家')).toBe('𠮷野＊'); // code points, not UTF-16 halves
  });
});

describe('maskCode', () => {
  it('keeps six characters and the length', () => {
    const code = 'KQ1PMR' + 'A'.repeat(303);
    expect(maskCode(code)).toBe('KQ1PMR…(309)');
  });

  it('never shows a short code whole', () => {
    for (const text of ['', 'A', 'AB', 'ABCDEF', 'ABCDEFGHIJK']) {
      const masked = maskCode(text);
      if (text.length > 0) expect(masked).not.toContain(text);
      expect(masked).toMatch(new RegExp(`\\(${text.length}\\)$`));
    }
    expect(maskCode('ABCD')).toBe('AB…(4)');
  });
});

describe('maskReceipt', () => {
  it('keeps the last four digits', () => {
    expect(maskReceipt('12345678901234567')).toBe('*************4567');
    expect(maskReceipt('123')).toBe('**3');
    expect(maskReceipt('1234')).not.toContain('1234');
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: undefined, b: 2 }], c: new Date(0) })).toBe('{"a":[{"b":2,"d":1}],"b":1,"c":"1970-01-01T00:00:00.000Z"}');
  });
});
