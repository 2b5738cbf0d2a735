// sd_notify(3) without libsystemd: newline-separated assignments sent as one datagram to the
// AF_UNIX socket named by $NOTIFY_SOCKET. Like libsystemd, each datagram uses a fresh socket, so
// nothing holds the event loop open between messages. A failed send is logged, never thrown: the
// kiosk must keep serving even when systemd cannot be told about it.
//
//   const notifier = SystemdNotifier.fromEnv(process.env, { logger });
//   notifier?.ready('serving on 127.0.0.1:8080');
//   const every = notifier?.watchdogIntervalMs();
//   const dog = notifier && every ? startWatchdog(notifier, () => health.ok(), every) : null;
//   // on SIGTERM: notifier?.stopping(); dog?.stop(); await controller.stop(); notifier?.close();
import { Buffer } from 'node:buffer';
import { createUnixDgramSocket, MAX_UNIX_PATH_BYTES } from './unix-dgram.js';

/** Receives every problem the notifier swallows (send errors, ignored variables). */
export type NotifyLogger = (message: string, error?: unknown) => void;

export interface SystemdNotifierOptions {
  /** Where WATCHDOG_USEC and WATCHDOG_PID are read; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  logger?: NotifyLogger;
}

export class SystemdNotifier {
  private closed = false;
  private readonly env: NodeJS.ProcessEnv;
  private readonly logger: NotifyLogger;

  /** `socketPath` must be an absolute filesystem path of at most 107 bytes (see fromEnv). */
  constructor(
    readonly socketPath: string,
    options: SystemdNotifierOptions = {},
  ) {
    this.env = options.env ?? process.env;
    this.logger = options.logger ?? (() => {});
  }

  /**
   * The notifier for $NOTIFY_SOCKET, or null when it is unset or empty (not run by systemd, or
   * Type=simple). Also null, with one logged line, for addresses unix-dgram cannot reach:
   * abstract sockets (`@name`: unix-dgram copies the path with strncpy, so the leading NUL byte
   * cannot be expressed), `vsock:` and other non-absolute forms, and paths over 107 bytes.
   * systemd's own socket, /run/systemd/notify, is a plain path.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, options: Omit<SystemdNotifierOptions, 'env'> = {}): SystemdNotifier | null {
    const path = env['NOTIFY_SOCKET'];
    if (path === undefined || path === '') return null;
    const log = options.logger ?? (() => {});
    if (path.startsWith('@')) {
      log(`NOTIFY_SOCKET ${path} is an abstract socket, which unix-dgram cannot address; systemd notifications are off`);
      return null;
    }
    if (!path.startsWith('/')) {
      log(`NOTIFY_SOCKET ${path} is not an absolute path; systemd notifications are off`);
      return null;
    }
    if (Buffer.byteLength(path) > MAX_UNIX_PATH_BYTES) {
      log(`NOTIFY_SOCKET ${path} is longer than ${MAX_UNIX_PATH_BYTES} bytes; systemd notifications are off`);
      return null;
    }
    return new SystemdNotifier(path, { ...options, env });
  }

  /** READY=1, with STATUS= in the same datagram when given. */
  ready(status?: string): void {
    this.notify('READY=1', ...(status === undefined ? [] : [statusLine(status)]));
  }

  /** STATUS=text: shown by `systemctl status`. Line breaks become spaces. */
  status(text: string): void {
    this.notify(statusLine(text));
  }

  /** STOPPING=1: shutdown has begun (send it on SIGTERM, before draining). */
  stopping(): void {
    this.notify('STOPPING=1');
  }

  /** WATCHDOG=1: prefer startWatchdog, which sends it only while the daemon is healthy. */
  watchdog(): void {
    this.notify('WATCHDOG=1');
  }

  /**
   * How often to send WATCHDOG=1: half of WATCHDOG_USEC, in ms. Null when WATCHDOG_USEC is unset
   * or not a positive integer, or when WATCHDOG_PID is set and is not this process (the watchdog
   * then belongs to another process, as sd_watchdog_enabled(3) says).
   */
  watchdogIntervalMs(): number | null {
    const usec = this.env['WATCHDOG_USEC'];
    if (usec === undefined || !/^\d+$/.test(usec)) return null;
    const value = Number(usec);
    if (!Number.isSafeInteger(value) || value <= 0) return null;
    const pid = this.env['WATCHDOG_PID'];
    if (pid !== undefined && pid !== '' && (!/^\d+$/.test(pid) || Number(pid) !== process.pid)) return null;
    return Math.max(1, Math.floor(value / 2000));
  }

  /** Send raw assignments (for example `EXTEND_TIMEOUT_USEC=…`) as one datagram; false if it was not sent. */
  notify(...assignments: string[]): boolean {
    if (this.closed || assignments.length === 0) return false;
    const message = Buffer.from(assignments.join('\n'));
    let socket;
    try {
      socket = createUnixDgramSocket();
    } catch (e) {
      this.logger('sd_notify: cannot create a unix datagram socket', e);
      return false;
    }
    let sent = false;
    // Without an 'error' listener an emitted error would throw; sends below use the callback form.
    socket.on('error', (e) => this.logger(`sd_notify to ${this.socketPath} failed`, e));
    try {
      socket.send(message, 0, message.length, this.socketPath, (err) => {
        if (err) this.logger(`sd_notify ${firstKey(assignments)} to ${this.socketPath} failed: ${err.message}`, err);
        else sent = true;
      });
    } catch (e) {
      this.logger(`sd_notify ${firstKey(assignments)} to ${this.socketPath} failed`, e);
    } finally {
      try {
        socket.close();
      } catch (e) {
        this.logger('sd_notify: closing the socket failed', e);
      }
    }
    return sent;
  }

  /** Stop sending; later calls are no-ops. Holds no resources otherwise. */
  close(): void {
    this.closed = true;
  }
}

/**
 * Send WATCHDOG=1 now and every `intervalMs`, but only when `isHealthy()` says true. A check that
 * returns false, throws, rejects or is still pending at the next tick sends nothing, so systemd
 * (WatchdogSec=) kills and restarts a wedged daemon. The timer does not keep the process alive.
 */
export function startWatchdog(
  notifier: Pick<SystemdNotifier, 'watchdog'>,
  isHealthy: () => boolean | Promise<boolean>,
  intervalMs: number,
  options: { logger?: NotifyLogger } = {},
): { stop(): void } {
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError(`watchdog interval must be a positive number of ms, got ${intervalMs}`);
  const log = options.logger ?? (() => {});
  let stopped = false;
  let pending = false;
  let wasHealthy = true;

  // Logs on transitions only: a daemon that stays unhealthy says so once, not every tick.
  const verdict = (healthy: boolean, reason: string, error?: unknown): void => {
    if (stopped) return;
    if (healthy) {
      notifier.watchdog();
      if (!wasHealthy) log('watchdog: healthy again; sending WATCHDOG=1');
    } else if (wasHealthy) {
      log(`watchdog: ${reason}; withholding WATCHDOG=1`, error);
    }
    wasHealthy = healthy;
  };

  const tick = (): void => {
    if (stopped) return;
    if (pending) {
      verdict(false, 'the previous health check has not finished');
      return;
    }
    let result: boolean | Promise<boolean>;
    try {
      result = isHealthy();
    } catch (e) {
      verdict(false, 'health check threw', e);
      return;
    }
    if (typeof result === 'boolean') {
      verdict(result, 'health check failed');
      return;
    }
    pending = true;
    Promise.resolve(result).then(
      (ok) => {
        pending = false;
        verdict(ok === true, 'health check failed');
      },
      (e: unknown) => {
        pending = false;
        verdict(false, 'health check rejected', e);
      },
    );
  };

  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    stop(): void {
      stopped = true;
      clearInterval(timer);
    },
  };
}

function statusLine(text: string): string {
  return `STATUS=${text.replace(/[\r\n]+/g, ' ')}`;
}

function firstKey(assignments: string[]): string {
  return (assignments[0] ?? '').split('=')[0] ?? '';
}
