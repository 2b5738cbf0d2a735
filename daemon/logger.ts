// pino JSON logs to stdout. Receiver names and codes are masked by the callers (daemon/audit/mask.ts).
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { service: 'kiosk' }, timestamp: pino.stdTimeFunctions.isoTime }, destination ?? process.stdout);
}
