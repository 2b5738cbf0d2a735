// Transport for a network printer (port 9100): one TCP connection per job, with a reader for the
// one-byte status answers. An offline printer may accept the connection and never answer, so every
// read has a timeout.
import { connect, type Socket } from 'node:net';

/** A printer that stops reading (buffer full, wedged) must not hang a job or shutdown forever. */
const WRITE_TIMEOUT_MS = 10_000;
/** Status answers are a few bytes; anything beyond this is noise and is dropped. */
const MAX_BUFFERED_BYTES = 4096;

export class TcpLink {
  private buffered: number[] = [];
  private waiter: (() => void) | undefined;
  private closedReason: string | undefined;
  private failed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffered.push(...d);
      if (this.buffered.length > MAX_BUFFERED_BYTES) this.buffered.splice(0, this.buffered.length - MAX_BUFFERED_BYTES);
      this.waiter?.();
    });
    socket.on('error', (e) => {
      this.closedReason = e.message;
      this.failed = true;
    });
    socket.on('close', () => {
      this.closedReason ??= 'connection closed';
      this.waiter?.();
    });
  }

  static open(host: string, port: number, timeoutMs: number): Promise<TcpLink> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no connection to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        resolve(new TcpLink(socket));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.destroy();
        reject(new Error(`the printer did not take the data within ${WRITE_TIMEOUT_MS} ms`));
      }, WRITE_TIMEOUT_MS);
      this.socket.write(bytes, (e) => {
        clearTimeout(timer);
        if (e) reject(e);
        else resolve();
      });
    });
  }

  /** Exactly n bytes, or null when they do not arrive in time (or the connection closed). */
  async read(n: number, timeoutMs: number): Promise<number[] | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffered.length < n) {
      const left = deadline - Date.now();
      if (left <= 0 || this.closedReason) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.buffered.splice(0, n);
  }

  /** Whatever has arrived (at least one byte), or null when nothing comes in time (or the connection closed). */
  async readSome(timeoutMs: number): Promise<number[] | null> {
    const first = await this.read(1, timeoutMs);
    return first ? [...first, ...this.buffered.splice(0)] : null;
  }

  /** The printer (or the network) closed the connection. */
  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /**
   * Closed by a reset or an error rather than an orderly close: the printer did not take all we
   * sent (a reset answers data it never read), so a ticket may be cut short.
   */
  get broken(): string | undefined {
    return this.failed ? this.closedReason : undefined;
  }

  /** Drop answers nobody asked for (e.g. automatic status back). */
  discardPending(): void {
    this.buffered = [];
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }
}
