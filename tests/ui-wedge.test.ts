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
});
