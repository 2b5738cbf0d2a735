// The one typed context the daemon's features share (built by controller.ts).
import type { AuditLog } from './audit/audit-log.js';
import type { EventBus } from './bus.js';
import type { Config } from './config.js';
import type { OpeningHours } from './counter/hours.js';
import type { OfficeClock } from './counter/office-clock.js';
import type { TicketStore } from './counter/tickets.js';
import type { Logger } from './logger.js';
import type { KioskMetrics } from './metrics.js';
import type { Outbox } from './outbox/outbox.js';
import type { PrintQueue } from './printing/print-queue.js';
import type { StaffStore } from './staff/staff-store.js';
import type { Cache } from './store/cache.js';

export interface DaemonContext {
  config: Config;
  cache: Cache;
  audit: AuditLog;
  outbox: Outbox;
  tickets: TicketStore;
  staff: StaffStore;
  /** Null when no printer is configured (KIOSK_PRINTER=none). */
  printQueue: PrintQueue | null;
  bus: EventBus;
  logger: Logger;
  metrics: KioskMetrics;
  hours: OpeningHours;
  /** The office's wall clock (KIOSK_TIMEZONE): ticket day, hours, times shown. */
  clock: OfficeClock;
  /** The daemon's clock; tests may pin it. */
  now: () => Date;
}
