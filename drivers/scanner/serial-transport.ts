// Transport: open and close a serial port, nothing more. Single-use: to reconnect, ask the factory
// for a new one.
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import type { Readable } from 'node:stream';
import { HangupAwareBinding } from './hangup-aware-binding.js';

export interface SerialTransport {
  readonly stream: Readable;
  /** Resolves once closed; safe to call when already closed. */
  close(): Promise<void>;
  /** Called once when the port goes away (unplug, hang-up, read error). */
  onLost(listener: (reason: string) => void): void;
}

export type SerialTransportFactory = (path: string, baudRate: number) => Promise<SerialTransport>;

export const openSerialTransport: SerialTransportFactory = (path, baudRate) =>
  new Promise((resolve, reject) => {
    // hupcl false: do not drop DTR on close (some scanners power-cycle on it). Our binding: a
    // hang-up (zero-byte read) closes the port instead of spinning (see hangup-aware-binding.ts).
    const port = new SerialPortStream({ binding: HangupAwareBinding, path, baudRate, autoOpen: false, hupcl: false, lock: true });
    port.open((err) => {
      if (err) {
        reject(err);
        return;
      }
      let lost: ((reason: string) => void) | undefined;
      let reported = false;
      const report = (reason: string) => {
        if (reported) return;
        reported = true;
        lost?.(reason);
      };
      port.on('close', (e: Error | null) => report(e ? `closed: ${e.message}` : 'closed'));
      port.on('error', (e: Error) => report(`error: ${e.message}`));
      port.on('end', () => report('end of stream'));
      resolve({
        stream: port,
        onLost: (l) => (lost = l),
        close: () =>
          new Promise<void>((res) => {
            reported = true;
            if (!port.isOpen) {
              port.destroy();
              res();
              return;
            }
            port.close(() => {
              port.destroy();
              res();
            });
          }),
      });
    });
  });

export interface PortInfo {
  path: string;
  byId: string | null;
  vendorId: string | null;
  productId: string | null;
  manufacturer: string | null;
  serialNumber: string | null;
}

/** Serial ports the OS knows, with the stable /dev/serial/by-id link when there is one. */
export async function listSerialPorts(): Promise<PortInfo[]> {
  const { readdir, realpath } = await import('node:fs/promises');
  const byIdDir = '/dev/serial/by-id';
  const links = new Map<string, string>();
  for (const name of await readdir(byIdDir).catch(() => [] as string[])) {
    const target = await realpath(`${byIdDir}/${name}`).catch(() => null);
    if (target) links.set(target, `${byIdDir}/${name}`);
  }
  const ports = await SerialPort.list();
  return ports.map((p) => ({
    path: p.path,
    byId: links.get(p.path) ?? null,
    vendorId: p.vendorId ?? null,
    productId: p.productId ?? null,
    manufacturer: p.manufacturer ?? null,
    serialNumber: p.serialNumber ?? null,
  }));
}
