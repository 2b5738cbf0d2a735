// The coded error type lives in protocol/errors.ts (drivers use it too); re-exported for the daemon.
export { KioskError, isKioskError, isRecoverable, KIOSK_ERROR_CODES, type KioskErrorCode } from '../protocol/errors.js';
