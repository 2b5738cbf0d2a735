import { describe, expect, it } from 'vitest';
import { AsbReader, asbBytes, asbLength, encodeEtbCounter, parseAsb } from './star-status.js';

const state = { paperOut: false, coverOpen: false, nearEnd: false, etbCounter: 0, etbExecuted: false };

describe('STAR ASB status', () => {
  it('reads the frame length from header 1 (bits 1–3 and 5) and refuses other bytes', () => {
    expect([asbLength(0x0f), asbLength(0x21), asbLength(0x23), asbLength(0x2f)]).toEqual([7, 8, 9, 15]);
    expect([asbLength(0x11), asbLength(0x13), asbLength(0x06), asbLength(0x12)]).toEqual([null, null, null, null]); // XON, XOFF, header 2, DLE EOT-like
  });

  it('round-trips the ETB counter through its split bits, 0…31', () => {
    for (let c = 0; c < 32; c++) expect(parseAsb([...asbBytes({ ...state, etbCounter: c })]).etbCounter).toBe(c);
    expect(encodeEtbCounter(31)).toBe(0x6e);
  });

  it('reads ready, paper end, near end, cover open and errors', () => {
    expect(parseAsb([...asbBytes(state)]).status).toEqual({ online: true, paperEnd: false, paperNearEnd: false, coverOpen: false });
    expect(parseAsb([...asbBytes({ ...state, paperOut: true, nearEnd: true })]).status).toMatchObject({ online: true, paperEnd: true, paperNearEnd: true });
    expect(parseAsb([...asbBytes({ ...state, coverOpen: true })]).status).toMatchObject({ online: true, coverOpen: true });
    expect(parseAsb([0x23, 0x06, 0x08, 0, 0, 0, 0, 0, 0]).status).toMatchObject({ online: false, detail: 'offline' });
    expect(parseAsb([0x23, 0x06, 0, 0x08, 0, 0, 0, 0, 0]).status).toMatchObject({ online: false, detail: 'printer error' }); // auto-cutter
    expect(parseAsb([0x0f, 0x02, 0, 0, 0, 0, 0]).etbCounter).toBeNull(); // version 1: no counter
  });

  it('cuts frames out of a stream split anywhere, skipping noise and Ethernet status data', () => {
    const a = asbBytes({ ...state, etbCounter: 3 });
    const extended = Buffer.concat([Buffer.from([0x23, 0x86, 0, 0, 0, 0, 0, encodeEtbCounter(4), 0]), Buffer.from([0x00, 0x02, 0x30, 0x31])]);
    const stream = Buffer.concat([Buffer.from([0x11]), a, extended, asbBytes({ ...state, etbCounter: 5 })]);
    const reader = new AsbReader();
    const counters: (number | null)[] = [];
    for (const byte of stream) for (const f of reader.push([byte])) counters.push(f.etbCounter);
    expect(counters).toEqual([3, 4, 5]);
  });
});
