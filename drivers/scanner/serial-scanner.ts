// A USB-COM / RS-232 scanner: transport (serialport) → framing (ScanFramer) → decoded scans.
import type { BackoffOptions } from './reconnect.js';
import { frameToText, type ScanEncoding } from './decode.js';
import { ScanFramer } from './framing.js';
import { ReconnectingSource, type OpenDevice } from './reconnecting-source.js';
import { openSerialTransport, type SerialTransportFactory } from './serial-transport.js';
import type { DriverLogger } from '../types.js';

export interface SerialScannerOptions {
  /** Device path; prefer the stable /dev/serial/by-id/… link. */
  path: string;
  id?: string;
  baudRate?: number;
  encoding?: ScanEncoding;
  /** Inter-byte gap that ends a frame without terminator (ms). Default 50. */
  gapMs?: number;
  maxFrameBytes?: number;
  reconnect?: BackoffOptions;
  logger?: DriverLogger;
  /** Injected for tests and other transports; default opens the port with serialport. */
  transport?: SerialTransportFactory;
}

export class SerialScanner extends ReconnectingSource {
  readonly kind = 'serial' as const;
  private readonly opts: SerialScannerOptions;
  private framer: ScanFramer | undefined;

  constructor(opts: SerialScannerOptions) {
    super(opts.id ?? `serial:${opts.path}`, opts);
    this.opts = opts;
  }

  /** Bytes held for the frame in progress: bounded by maxFrameBytes whatever the device sends. */
  bufferedBytes(): number {
    return this.framer?.bufferedBytes ?? 0;
  }

  protected async open(lost: (reason: string) => void): Promise<OpenDevice> {
    const transport = await (this.opts.transport ?? openSerialTransport)(this.opts.path, this.opts.baudRate ?? 9600);
    const framer = new ScanFramer({
      gapMs: this.opts.gapMs,
      maxFrameBytes: this.opts.maxFrameBytes,
      onDrop: (n) => this.warn(`dropped a frame longer than ${this.opts.maxFrameBytes ?? 65536} bytes (${n} bytes seen)`),
    });
    framer.on('data', (frame: Buffer) => {
      const text = frameToText(frame, this.opts.encoding);
      if (text === '') return;
      if (text.includes('\ufffd')) this.warn(`scan of ${frame.length} bytes is not valid ${this.opts.encoding ?? 'utf-8'}`);
      this.emit('scan', { text, deviceId: this.id, source: 'serial', receivedAt: new Date() });
    });
    transport.stream.pipe(framer);
    this.framer = framer;
    transport.onLost(lost);
    return {
      close: async () => {
        transport.stream.unpipe(framer);
        framer.destroy();
        if (this.framer === framer) this.framer = undefined;
        await transport.close();
      },
    };
  }
}
