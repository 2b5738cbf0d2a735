// The types the daemon sees: scans, device state, and a scanner behind one interface.
import type { TypedEmitter } from './events.js';

export type ScanSourceKind = 'serial' | 'hid' | 'camera' | 'typed';

export interface RawScan {
  /** Decoded and normalized (trimmed, AIM id stripped); may exceed 4096 chars — the core rejects those. */
  text: string;
  deviceId: string;
  source: ScanSourceKind;
  receivedAt: Date;
}

export type DeviceState = 'connected' | 'disconnected' | 'error';

export interface DeviceStateEvent {
  id: string;
  state: DeviceState;
  detail: string;
}

export interface ScanSourceEvents extends Record<string, unknown[]> {
  scan: [RawScan];
  state: [DeviceStateEvent];
  /** Something worth a log line that is not a state change (e.g. an oversized frame dropped). */
  warning: [{ id: string; message: string }];
}

export interface ScanSource extends Pick<TypedEmitter<ScanSourceEvents>, 'on' | 'once' | 'off'> {
  readonly id: string;
  readonly kind: ScanSourceKind;
  start(): Promise<void>;
  stop(): Promise<void>;
  state(): DeviceState;
  /** Why the state is what it is (e.g. "ENOENT /dev/ttyACM0, retrying in 2 s"). */
  detail(): string;
}

/** The pino-like logger the drivers accept; any object with these methods will do. */
export interface DriverLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export const silentLogger: DriverLogger = { info() {}, warn() {} };
