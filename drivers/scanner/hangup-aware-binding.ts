// serialport's binding with one fix: a zero-byte read of a tty is a hang-up, reported as a
// disconnect. The Linux/macOS binding of @serialport/bindings-cpp 13.0.0 (unix-read.ts) reads
// again at once instead, forever: a USB-COM scanner unplugged at the wrong moment (or the far end of
// a pty closing) leaves the daemon at a full core, memory growing with the promise chain, and the
// port never closed, so it is never reopened (bindings-cpp issue #162; the fix, PR #164, was never
// merged). Everything but read() is the detected binding's own.
import { read as fsReadCallback } from 'node:fs';
import { promisify } from 'node:util';
import { autoDetect, type BindingInterface, type BindingPortInterface, type OpenOptions, type PortStatus, type SetOptions, type UpdateOptions } from '@serialport/bindings-cpp';

const fsRead = promisify(fsReadCallback);

/** What the unix port bindings (LinuxPortBinding, DarwinPortBinding) expose beyond the interface. */
interface UnixPortBinding extends BindingPortInterface {
  fd: number | null;
  readonly poller: { once(event: 'readable', callback: (err: Error | null) => void): unknown };
}

/** The error shape @serialport/stream understands: `canceled` = closed by us; otherwise a disconnect. */
class PortReadError extends Error {
  constructor(
    message: string,
    readonly canceled = false,
    readonly disconnect = !canceled,
  ) {
    super(message);
  }
}

const RETRY = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);

export class HangupAwarePort implements BindingPortInterface {
  constructor(private readonly inner: UnixPortBinding) {}

  get openOptions(): Required<OpenOptions> {
    return this.inner.openOptions;
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  /** At least one byte; rejects with `disconnect` on hang-up or a read error, `canceled` once closed. */
  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (length <= 0 || offset < 0 || buffer.length < offset + length) throw new RangeError('read: no room in the buffer');
    for (;;) {
      const fd = this.inner.fd;
      if (fd === null || !this.inner.isOpen) throw new PortReadError('Port is not open', true);
      let bytesRead: number;
      try {
        ({ bytesRead } = await fsRead(fd, buffer, offset, length, null));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? '';
        if (!RETRY.has(code)) throw new PortReadError(`read failed: ${code || (e as Error).message}`);
        if (!this.inner.isOpen) throw new PortReadError('Port is not open', true);
        await this.readable();
        continue;
      }
      // The port is opened non-blocking with VMIN 1: no data is EAGAIN, so 0 bytes is end of file.
      if (bytesRead === 0) throw new PortReadError('the device hung up (end of file)');
      return { buffer, bytesRead };
    }
  }

  private readable(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.inner.poller.once('readable', (err) => {
        if (!err) return resolve();
        const canceled = (err as { canceled?: boolean }).canceled === true;
        reject(new PortReadError(canceled ? 'Port is not open' : `poll failed: ${err.message}`, canceled));
      });
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }
  write(buffer: Buffer): Promise<void> {
    return this.inner.write(buffer);
  }
  update(options: UpdateOptions): Promise<void> {
    return this.inner.update(options);
  }
  set(options: SetOptions): Promise<void> {
    return this.inner.set(options);
  }
  get(): Promise<PortStatus> {
    return this.inner.get();
  }
  getBaudRate(): Promise<{ baudRate: number }> {
    return this.inner.getBaudRate();
  }
  flush(): Promise<void> {
    return this.inner.flush();
  }
  drain(): Promise<void> {
    return this.inner.drain();
  }
}

const detected = autoDetect() as BindingInterface;

function isUnixPort(port: BindingPortInterface): port is UnixPortBinding {
  return 'fd' in port && 'poller' in port;
}

/** The detected binding, with unix ports wrapped (Windows reads overlapped and is left as is). */
export const HangupAwareBinding: BindingInterface = {
  list: () => detected.list(),
  async open(options: OpenOptions): Promise<BindingPortInterface> {
    const port = await detected.open(options);
    return isUnixPort(port) ? new HangupAwarePort(port) : port;
  },
};
