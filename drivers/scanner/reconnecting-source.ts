// What every device-backed scanner shares: state reporting, and reopening with backoff after the
// device goes away (serialport and evdev files do not reconnect by themselves).
import { TypedEmitter } from '../events.js';
import type { DeviceState, DriverLogger, ScanSource, ScanSourceEvents, ScanSourceKind } from '../types.js';
import { silentLogger } from '../types.js';
import { Backoff, type BackoffOptions } from './reconnect.js';

/** An open device: closing it must release the OS handle. */
export interface OpenDevice {
  close(): Promise<void>;
}

export abstract class ReconnectingSource extends TypedEmitter<ScanSourceEvents> implements ScanSource {
  abstract readonly kind: ScanSourceKind;
  private current: DeviceState = 'disconnected';
  private currentDetail = 'not started';
  private running = false;
  private device: OpenDevice | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  protected readonly logger: DriverLogger;

  constructor(
    readonly id: string,
    opts: { reconnect?: BackoffOptions; logger?: DriverLogger },
  ) {
    super();
    this.backoff = new Backoff(opts.reconnect);
    this.logger = opts.logger ?? silentLogger;
  }

  /** Open the device once; call `lost(reason)` when it goes away. Throw if it cannot be opened. */
  protected abstract open(lost: (reason: string) => void): Promise<OpenDevice>;

  state(): DeviceState {
    return this.current;
  }

  detail(): string {
    return this.currentDetail;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const device = this.device;
    this.device = undefined;
    await device?.close();
    this.setState('disconnected', 'stopped');
  }

  protected warn(message: string): void {
    this.logger.warn({ device: this.id }, message);
    this.emit('warning', { id: this.id, message });
  }

  protected setState(state: DeviceState, detail: string): void {
    const changed = state !== this.current || detail !== this.currentDetail;
    this.current = state;
    this.currentDetail = detail;
    if (!changed) return;
    (state === 'connected' ? this.logger.info : this.logger.warn).call(this.logger, { device: this.id, state, detail }, `scanner ${state}`);
    this.emit('state', { id: this.id, state, detail });
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    let device: OpenDevice;
    let wasLost = false;
    let lostReason = '';
    const lost = (reason: string) => {
      if (this.device !== device) {
        wasLost = true; // lost while open() was still settling
        lostReason = reason;
        return;
      }
      this.device = undefined;
      void device.close().catch(() => {});
      this.retry('disconnected', reason);
    };
    try {
      device = await this.open(lost);
    } catch (e) {
      this.retry('disconnected', (e as Error).message);
      return;
    }
    if (!this.running || wasLost) {
      await device.close().catch(() => {});
      if (wasLost) this.retry('disconnected', lostReason);
      return;
    }
    this.device = device;
    this.backoff.reset();
    this.setState('connected', 'open');
  }

  private retry(state: DeviceState, reason: string): void {
    if (!this.running) return;
    const delay = this.backoff.delay();
    this.setState(state, `${reason}; retrying in ${delay} ms`);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
  }
}
