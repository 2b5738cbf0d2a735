import { describe, expect, it } from 'vitest';
import { DuplicateFilter } from './dedupe.js';

const t = (ms: number) => new Date(1_700_000_000_000 + ms);

describe('DuplicateFilter', () => {
  it('treats the same text from one device within the window as one scan', () => {
    const f = new DuplicateFilter(3000);
    expect(f.isDuplicate('a', 'KQ1X', t(0))).toBe(false);
    expect(f.isDuplicate('a', 'KQ1X', t(120))).toBe(true);
    expect(f.isDuplicate('a', 'KQ1X', t(2999))).toBe(true);
    expect(f.isDuplicate('a', 'KQ1X', t(3000))).toBe(false);
  });

  it('does not suppress another device, or other text in between', () => {
    const f = new DuplicateFilter(3000);
    expect(f.isDuplicate('a', 'KQ1X', t(0))).toBe(false);
    expect(f.isDuplicate('b', 'KQ1X', t(10))).toBe(false);
    expect(f.isDuplicate('a', 'KQ1Y', t(20))).toBe(false);
    expect(f.isDuplicate('a', 'KQ1X', t(30))).toBe(false);
  });
});
