// Serial scanner on a real tty pair (socat): framing, bounded memory, unplug and replug.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SerialScanner } from '../drivers/scanner/serial-scanner.js';
import type { DeviceStateEvent, RawScan } from '../drivers/types.js';
import { createTtyPair, waitFor, type TtyPair } from './helpers/socat.js';

let pair: TtyPair;
let scanner: SerialScanner;
let scans: RawScan[];
let states: DeviceStateEvent[];
let warnings: string[];

beforeEach(async () => {
  pair = await createTtyPair();
  scans = [];
  states = [];
  warnings = [];
  scanner = new SerialScanner({ path: pair.a, id: 'test-serial', gapMs: 50, reconnect: { minMs: 50, maxMs: 400 } });
  scanner.on('scan', (s) => scans.push(s));
  scanner.on('state', (s) => states.push(s));
  scanner.on('warning', (w) => warnings.push(w.message));
  await scanner.start();
  expect(scanner.state()).toBe('connected');
});

afterEach(async () => {
  await scanner.stop();
  await pair.cleanup();
});

describe('serial scanner on a socat tty pair', () => {
  it('frames on the inter-byte gap (no terminator), then on CR, LF, CRLF; strips AIM ids', async () => {
    await pair.write('KQ1DDDD'); // a scanner without terminator: the gap ends it
    await waitFor(() => scans.length === 1, 2000, 'gap-framed scan');
    await pair.write('KQ1AAAA\r');
    await pair.write('KQ1BBBB\n');
    await pair.write(']Q1KQ1CCCC\r\n');
    await waitFor(() => scans.length === 4, 2000, 'three terminated scans');
    // From its first terminator on, a pause mid-scan does not cut the scan in two.
    await pair.write('KQ1EE');
    await new Promise((r) => setTimeout(r, 120));
    await pair.write('EE\r');
    await waitFor(() => scans.length === 5, 2000, 'the paused scan');
    expect(scans.map((s) => s.text)).toEqual(['KQ1DDDD', 'KQ1AAAA', 'KQ1BBBB', 'KQ1CCCC', 'KQ1EEEE']);
    expect(scans.every((s) => s.deviceId === 'test-serial' && s.source === 'serial')).toBe(true);
  });

  it('decodes UTF-8 itself, also when a character is split across reads', async () => {
    const bytes = Buffer.from('受取KQ1\r');
    await pair.write(bytes.subarray(0, 2));
    await pair.write(bytes.subarray(2));
    await waitFor(() => scans.length === 1, 2000, 'scan');
    expect(scans[0]!.text).toBe('受取KQ1');
  });

  it('drops a 100 KiB line without terminator and never holds more than 64 KiB of it', async () => {
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, scanner.bufferedBytes())), 1);
    const kib = Buffer.alloc(1024, 0x41);
    for (let i = 0; i < 100; i++) {
      await pair.write(kib);
      if (i % 8 === 0) await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => warnings.length > 0, 3000, 'oversize warning');
    await new Promise((r) => setTimeout(r, 150)); // let the gap end the discarded frame
    clearInterval(sampler);
    expect(peak).toBeGreaterThan(0); // the sampler did see the frame being buffered
    expect(peak).toBeLessThanOrEqual(64 * 1024);
    expect(scanner.bufferedBytes()).toBe(0);
    await pair.write('KQ1OK\r');
    await waitFor(() => scans.length === 1, 2000, 'scan after the junk');
    expect(scans.map((s) => s.text)).toEqual(['KQ1OK']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/dropped a frame longer than 65536 bytes/);
  });

  it('shows disconnected when socat dies and reconnects within 3 s when the pair is back', async () => {
    await pair.write('KQ1BEFORE\r');
    await waitFor(() => scans.length === 1, 2000, 'first scan');
    await pair.kill();
    await waitFor(() => scanner.state() === 'disconnected', 2000, 'disconnected');
    expect(states.some((s) => s.state === 'disconnected')).toBe(true);
    await new Promise((r) => setTimeout(r, 600)); // backoff reaches its cap meanwhile
    const replugged = Date.now();
    await pair.recreate();
    await waitFor(() => scanner.state() === 'connected', 3000, 'reconnected');
    expect(Date.now() - replugged).toBeLessThan(3000);
    await pair.write('KQ1AFTER\r');
    await waitFor(() => scans.length === 2, 2000, 'scan after replug');
    expect(scans[1]!.text).toBe('KQ1AFTER');
  });
});
