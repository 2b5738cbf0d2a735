// The keyboard-wedge capture of the kiosk UI (kiosk-ui/src/common/wedge-capture.ts), without a browser.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WedgeCapture } from '../kiosk-ui/src/common/wedge-capture.js';

const key = (k: string, extra: Partial<{ ctrlKey: boolean; isComposing: boolean; target: unknown }> = {}) => ({
  key: k, ctrlKey: false, altKey: false, metaKey: false, isComposing: false, target: null, ...extra,
}) as Parameters<WedgeCapture['onKey']>[0];

describe('WedgeCapture', () => {
  let scans: string[];
  let w: WedgeCapture;
  beforeEach(() => {
    vi.useFakeTimers();
    scans = [];
    w = new WedgeCapture({ onScan: (t) => scans.push(t) });
  });
  afterEach(() => vi.useRealTimers());

  const type = (s: string, gapMs = 5) => {
    for (const c of s) {
      w.onKey(key(c));
      vi.advanceTimersByTime(gapMs);
    }
  };

  it('ends a scan at Enter', () => {
    type('KQ1ABCD');
    w.onKey(key('Enter'));
    expect(scans).toEqual(['KQ1ABCD']);
  });

  it('ends a scan after a 50 ms gap (scanners without a terminator)', () => {
    type('KQ1ABCD');
    expect(scans).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(scans).toEqual(['KQ1ABCD']);
  });

  it('ignores stray key presses, shortcuts, IME composition and keys typed into a visible field', () => {
    type('ab');
    vi.advanceTimersByTime(60);
    w.onKey(key('c', { ctrlKey: true }));
    w.onKey(key('x', { isComposing: true }));
    w.onKey(key('Shift'));
    for (const c of 'KQ1FIELD') w.onKey(key(c, { target: { tagName: 'INPUT' } }));
    w.onKey(key('Enter'));
    expect(scans).toEqual([]);
  });

  it('bounds the buffer', () => {
    const small = new WedgeCapture({ onScan: (t) => scans.push(t), maxLength: 8 });
    for (const c of 'KQ1ABCDEFGHIJKLMNOP') small.onKey(key(c));
    small.onKey(key('Enter'));
    expect(scans).toEqual(['KQ1ABCDE']);
  });

  describe('with scan prefixes (the counter): a scan typed into a focused field', () => {
    /** A field as the browser has it: a key not taken by the page lands in it. */
    const field = (value = '') => {
      const f = { tagName: 'INPUT', value, inputs: 0, dispatchEvent: () => ((f.inputs += 1), true) };
      return f;
    };
    const typeInto = (c: WedgeCapture, f: ReturnType<typeof field>, text: string, gapMs: number) => {
      for (const k of text) {
        let taken = false;
        c.onKey({ ...key(k, { target: f }), preventDefault: () => (taken = true), timeStamp: performance.now() });
        if (!taken) f.value += k;
        vi.advanceTimersByTime(gapMs);
      }
    };

    it('at scanner speed is taken back out of the field and read as a scan', () => {
      const c = new WedgeCapture({ onScan: (t) => scans.push(t), scanPrefixes: ['KQ1', 'KT-'] });
      const f = field('本人確認');
      typeInto(c, f, 'KQ1ABCDEFGH', 2);
      c.onKey({ ...key('Enter', { target: f }), preventDefault: () => undefined });
      expect(scans).toEqual(['KQ1ABCDEFGH']);
      expect(f.value).toBe('本人確認');
      expect(f.inputs).toBe(1); // the field's owner hears that its value went back
    });

    it('a person typing the same letters slowly keeps them in the field', () => {
      const c = new WedgeCapture({ onScan: (t) => scans.push(t), scanPrefixes: ['KQ1', 'KT-'] });
      const f = field();
      typeInto(c, f, 'KQ1 note', 120);
      expect(f.value).toBe('KQ1 note');
      expect(scans).toEqual([]);
    });

    it('fast typing that is not a scan prefix stays in the field', () => {
      const c = new WedgeCapture({ onScan: (t) => scans.push(t), scanPrefixes: ['KQ1', 'KT-'] });
      const f = field();
      typeInto(c, f, 'kaigi', 2);
      expect(f.value).toBe('kaigi');
      expect(scans).toEqual([]);
    });
  });
});
