// A USB keyboard-wedge scanner read from /dev/input/by-id/…-event-kbd without window focus:
// transport (non-blocking fd, polled) → evdev records → key map → ScanFramer → scans.
// Node cannot issue EVIOCGRAB without a native addon, so the keystrokes also reach the desktop;
// see drivers/README.md for keeping the compositor away from the device.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { BackoffOptions } from './reconnect.js';
import { frameToText } from './decode.js';
import { inputEventSize, parseInputEvents } from './evdev.js';
import { ScanFramer } from './framing.js';
import type { KeyLayout } from './keymap.js';
import { ReconnectingSource, type OpenDevice } from './reconnecting-source.js';
import { WedgeKeys } from './wedge-keys.js';
import type { DriverLogger } from '../types.js';

export interface HidScannerOptions {
  path: string;
  id?: string;
  layout?: KeyLayout;
  /** End a frame after this much silence when the scanner sends no Enter (ms). Default 80. */
  gapMs?: number;
  /** How often to poll the non-blocking fd when idle (ms). Default 4. */
  pollMs?: number;
  reconnect?: BackoffOptions;
  logger?: DriverLogger;
}

const RETRYABLE_READ = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);

export class HidScanner extends ReconnectingSource {
  readonly kind = 'hid' as const;

  constructor(private readonly opts: HidScannerOptions) {
    super(opts.id ?? `hid:${opts.path}`, opts);
  }

  protected async open(lost: (reason: string) => void): Promise<OpenDevice> {
    const fh: FileHandle = await open(this.opts.path, constants.O_RDONLY | constants.O_NONBLOCK);
    const keys = new WedgeKeys(this.opts.layout ?? 'us');
    const framer = new ScanFramer({
      gapMs: this.opts.gapMs ?? 80,
      onDrop: (n) => this.warn(`dropped a frame longer than 65536 bytes (${n} bytes seen)`),
    });
    framer.on('data', (frame: Buffer) => {
      const text = frameToText(frame, 'ascii');
      if (text !== '') this.emit('scan', { text, deviceId: this.id, source: 'hid', receivedAt: new Date() });
    });
    const size = inputEventSize();
    const buf = Buffer.alloc(size * 64);
    let rest: Buffer = Buffer.alloc(0);
    let closed = false;
    const pollMs = this.opts.pollMs ?? 4;

    const loop = async () => {
      while (!closed) {
        let n = 0;
        try {
          ({ bytesRead: n } = await fh.read(buf, 0, buf.length, null));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code ?? '';
          if (!RETRYABLE_READ.has(code)) {
            if (!closed) lost(`read failed: ${code || (e as Error).message}`);
            return;
          }
        }
        if (n === 0) {
          // Idle (EAGAIN), or a fifo standing in for the device with no writer yet.
          await new Promise((r) => setTimeout(r, pollMs));
          continue;
        }
        const parsed = parseInputEvents(rest.length ? Buffer.concat([rest, buf.subarray(0, n)]) : buf.subarray(0, n), size);
        rest = parsed.rest;
        const typed = keys.feed(parsed.events);
        if (typed) framer.write(Buffer.from(typed, 'latin1'));
      }
    };
    const running = loop();
    return {
      close: async () => {
        closed = true;
        await running.catch(() => {});
        framer.destroy();
        await fh.close().catch(() => {});
      },
    };
  }
}
