import { describe, expect, it } from 'vitest';
import { frameToText } from './decode.js';

describe('frameToText', () => {
  it('decodes UTF-8, trims and strips an AIM id', () => {
    expect(frameToText(Uint8Array.from([0x5d, 0x51, 0x31, 0x4b, 0x51, 0x31, 0x41, 0x20]))).toBe('KQ1A');
    expect(frameToText(Uint8Array.from([0xe5, 0x8f, 0x97, 0xe5, 0x8f, 0x96]))).toBe('受取');
  });

  it('decodes Shift_JIS when configured', () => {
    // 受取 in Shift_JIS: 8EF3 8EE6
    expect(frameToText(Uint8Array.from([0x8e, 0xf3, 0x8e, 0xe6]), 'shift_jis')).toBe('受取');
  });

  it('shows bytes that are not ASCII as replacement characters in ascii mode', () => {
    expect(frameToText(Uint8Array.from([0x41, 0xff, 0x42]), 'ascii')).toBe('A\ufffdB');
  });
});
