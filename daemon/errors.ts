// One coded error type for everything the daemon and CLI report (as zwave-js does with ZWaveError).
export type KioskErrorCode =
  | 'CONFIG_INVALID'
  | 'FEED_INVALID'
  | 'DATABASE'
  | 'DEVICE_UNAVAILABLE'
  | 'PRINTER_UNAVAILABLE'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UNAUTHORIZED'
  | 'LOCKED_OUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BAD_REQUEST'
  | 'HOST_NOT_ALLOWED'
  | 'ORIGIN_NOT_ALLOWED'
  | 'BUSY'
  | 'USAGE';

export class KioskError extends Error {
  constructor(
    message: string,
    readonly code: KioskErrorCode,
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'KioskError';
  }
}

export function isKioskError(e: unknown, code?: KioskErrorCode): e is KioskError {
  return e instanceof KioskError && (code === undefined || e.code === code);
}

/** Errors worth retrying later: the device, printer or upstream may come back. */
export function isRecoverable(e: unknown): boolean {
  return isKioskError(e) && ['DEVICE_UNAVAILABLE', 'PRINTER_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE'].includes(e.code);
}
