import { describe, expect, it } from 'vitest';
import { parseDleEot, parseGsR1, statusBytes } from './escpos-status.js';

describe('DLE EOT status parsing', () => {
  it('reads a ready printer', () => {
    expect(parseDleEot(0x12, 0x12, 0x12)).toEqual({ online: true, paperEnd: false, paperNearEnd: false, coverOpen: false });
  });
  it('reads paper end (offline because of it), near end and cover open', () => {
    expect(parseDleEot(0x1a, 0x32, 0x72)).toMatchObject({ online: true, paperEnd: true, coverOpen: false });
    expect(parseDleEot(0x12, 0x12, 0x1e)).toMatchObject({ paperNearEnd: true, paperEnd: false });
    expect(parseDleEot(0x1a, 0x16, 0x12)).toMatchObject({ coverOpen: true, paperEnd: false });
  });
  it('reports offline without a cause, errors, and garbage answers as not online', () => {
    expect(parseDleEot(0x1a, 0x12, 0x12)).toMatchObject({ online: false, detail: 'offline' });
    expect(parseDleEot(0x12, 0x52, 0x12)).toMatchObject({ online: false, detail: 'printer error' });
    expect(parseDleEot(0x00, 0x12, 0x12)).toMatchObject({ online: false, detail: 'unexpected status answer' });
  });
  it('round-trips the bytes the virtual printer sends', () => {
    const b = statusBytes({ paperOut: true, coverOpen: false, nearEnd: true });
    expect(parseDleEot(b[1], b[2], b[4])).toMatchObject({ online: true, paperEnd: true, paperNearEnd: true });
    expect(parseGsR1(b.gsR1)).toEqual({ paperEnd: true, paperNearEnd: true });
    expect(parseGsR1(0)).toEqual({ paperEnd: false, paperNearEnd: false });
  });
});
