// The coded errors the daemon, drivers and CLI report, and the codes a refused action answers
// with. Browser-safe: no imports from node:*, daemon/ or drivers/.
import type { Reason } from './verdict.js';

/** Every KioskError code. */
export const KIOSK_ERROR_CODES = [
  'CONFIG_INVALID',
  'FEED_INVALID',
  'DATABASE',
  'DEVICE_UNAVAILABLE',
  'PRINTER_UNAVAILABLE',
  'UPSTREAM_UNAVAILABLE',
  'UNAUTHORIZED',
  'LOCKED_OUT',
  'NOT_FOUND',
  'CONFLICT',
  'BAD_REQUEST',
  'HOST_NOT_ALLOWED',
  'ORIGIN_NOT_ALLOWED',
  'BUSY',
  'USAGE',
  /** The office queue cannot be reached from this station (no majority of the office's stations): nothing can be called or numbered here now. */
  'QUEUE_UNAVAILABLE',
] as const;
export type KioskErrorCode = (typeof KIOSK_ERROR_CODES)[number];

/** One coded error type for everything the daemon, drivers and CLI report (as zwave-js does with ZWaveError). */
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

/**
 * Why a staff or kiosk action was refused, besides a verdict reason (a code that did not verify)
 * and a KioskError code (a thrown error passed on).
 */
export const ACTION_REFUSAL_CODES = [
  /** The ticket named does not hold this application. */
  'NOT_ON_TICKET',
  /** A code of another type than the action takes (e.g. an APP code to register a receiver). */
  'WRONG_CODE',
  /** A counter scan that was not accepted and carries no reason. */
  'REJECTED',
  'ALREADY_RESOLVED',
  /** A kiosk reprint without a recent repeat scan to reprint for. */
  'NO_REPRINT_OFFER',
  /** An unexpected error in the daemon; details are in its log only. */
  'INTERNAL',
  /** Set by the screens themselves: the daemon did not answer, or is not connected. */
  'TIMEOUT',
  'OFFLINE',
] as const;

/** ActionError.code: one of the refusals above, a verdict reason, or a KioskError code. */
export type ActionErrorCode = (typeof ACTION_REFUSAL_CODES)[number] | Reason | KioskErrorCode;
