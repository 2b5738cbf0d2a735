// Serial scanner on a real tty pair (socat): framing, bounded memory, unplug and replug.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HangupAwareBinding } from '../drivers/scanner/hangup-aware-binding.js';
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

describe('unplugging a serial scanner at any moment', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('a zero-byte read (the tty hung up) is a disconnect, not a reason to read again', async () => {
    await scanner.stop(); // this test drives the binding itself
    const port = await HangupAwareBinding.open({ path: pair.a, baudRate: 9600, hupcl: false });
    try {
      await pair.kill(); // no read in flight: the next read of the hung-up tty returns 0 bytes
      const outcome = await Promise.race([
        port.read(Buffer.alloc(64), 0, 64).then(
          () => 'data',
          (e: { disconnect?: boolean; canceled?: boolean; message: string }) => ({ disconnect: e.disconnect, canceled: e.canceled, message: e.message }),
        ),
        sleep(2000).then(() => 'no answer'), // bindings-cpp 13.0.0 reads again forever here
      ]);
      expect(outcome).toEqual({ disconnect: true, canceled: false, message: expect.stringMatching(/hung up/) });
    } finally {
      if (port.isOpen) await port.close();
    }
  });

  it('always ends in disconnected (50 unplugs, mid-line too), stays idle and flat while unplugged, and is back within 3 s of replug', { timeout: 180_000 }, async () => {
    const oversized = Buffer.alloc(70 * 1024, 0x42);
    for (let attempt = 0; attempt < 50; attempt++) {
      await pair.write(`KQ1NORMAL${attempt}\r`);
      await waitFor(() => scans.some((s) => s.text === `KQ1NORMAL${attempt}`), 3000, `scan before unplug ${attempt}`);
      if (attempt % 5 === 0) await pair.write(oversized);
      await pair.write(`KQ1SECOND${attempt}\r`);
      // A scan in progress (no terminator yet) while the cable goes, at a random moment.
      let pumping = true;
      const pump = (async () => {
        while (pumping) {
          await pair.write('KQ1MIDLINE').catch(() => (pumping = false));
          await new Promise((r) => setImmediate(r));
        }
      })();
      await sleep(Math.random() * 30);
      await pair.unplug();
      pumping = false;
      await pump;
      await waitFor(() => scanner.state() === 'disconnected', 3000, `disconnected after unplug ${attempt}`);
      if (attempt === 49) break; // the last one stays unplugged
      await pair.recreate();
      await waitFor(() => scanner.state() === 'connected', 3000, `reconnected after unplug ${attempt}`);
    }

    // Unplugged: the driver only retries the open now and then. A spinning read would burn a core
    // and grow the heap by megabytes a second.
    const rss: number[] = [];
    const cpuBefore = process.cpuUsage();
    for (let s = 0; s < 30; s++) {
      await sleep(1000);
      rss.push(process.memoryUsage().rss);
    }
    const cpu = process.cpuUsage(cpuBefore);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(0.1 * 30_000); // under a tenth of a core
    expect(Math.max(...rss) - Math.min(...rss)).toBeLessThan(24 * 1024 * 1024);
    expect(scanner.state()).toBe('disconnected');

    const replugged = Date.now();
    await pair.recreate();
    await waitFor(() => scanner.state() === 'connected', 3000, 'reconnected after the quiet period');
    expect(Date.now() - replugged).toBeLessThan(3000);
    await pair.write('KQ1BACK\r');
    await waitFor(() => scans.some((s) => s.text === 'KQ1BACK'), 2000, 'scan after replug');
  });
});
