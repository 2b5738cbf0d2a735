// Keyboard-wedge scanner reading evdev records from a real fifo standing in for /dev/input/event*
// (creating a real input device needs /dev/uinput and root).
import { execFileSync } from 'node:child_process';
import { openSync, closeSync, writeSync } from 'node:fs';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { encodeInputEvent, EV_KEY } from '../drivers/scanner/evdev.js';
import { HidScanner } from '../drivers/scanner/hid-scanner.js';
import type { RawScan } from '../drivers/types.js';
import { makeTempDir, waitFor } from './helpers/socat.js';

const tmp = makeTempDir('kiosk-hid-');
let scanner: HidScanner | undefined;
afterEach(async () => {
  await scanner?.stop();
});
afterAll(() => tmp.remove());

const key = (code: number, shift = false) => {
  const ev = (c: number, v: number) => encodeInputEvent({ type: EV_KEY, code: c, value: v });
  const press = [ev(code, 1), ev(code, 0)];
  return Buffer.concat(shift ? [ev(42, 1), ...press, ev(42, 0)] : press);
};

it('reads a JIS wedge scan from evdev records without focus, Enter ends it', async () => {
  const fifo = join(tmp.dir, 'x-event-kbd');
  execFileSync('mkfifo', [fifo]);
  scanner = new HidScanner({ path: fifo, id: 'wedge', layout: 'jis' });
  const scans: RawScan[] = [];
  scanner.on('scan', (s) => scans.push(s));
  await scanner.start();
  expect(scanner.state()).toBe('connected');
  const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  // "KQ1@:" then Enter; @ and : are single keys on JIS (26, 40), shifted keys on US.
  writeSync(fd, Buffer.concat([key(37, true), key(16, true), key(2), key(26), key(40), key(28)]));
  await waitFor(() => scans.length === 1, 2000, 'wedge scan');
  closeSync(fd);
  expect(scans[0]).toMatchObject({ text: 'KQ1@:', deviceId: 'wedge', source: 'hid' });
});

it('reports disconnected while the device node is missing', async () => {
  scanner = new HidScanner({ path: join(tmp.dir, 'absent-event-kbd'), reconnect: { minMs: 20, maxMs: 50 } });
  await scanner.start();
  expect(scanner.state()).toBe('disconnected');
  expect(scanner.detail()).toMatch(/ENOENT/);
});
