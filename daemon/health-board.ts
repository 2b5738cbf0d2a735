// What the daemon knows about its devices, printer and upstream, for the screens, /metrics and logs.
import type { DeviceHealth, KioskState, PrinterHealth } from '../protocol/events.js';
import type { DaemonContext } from './context.js';
import { dataAge, type DataAge } from './core/verify.js';
import { closingTime, isOpen, nextOpening } from './counter/hours.js';
import type { MisuseMonitor } from './scan/misuse.js';
import type { Upstream } from './upstream.js';

export class HealthBoard {
  readonly devices = new Map<string, DeviceHealth>();
  /** The office queue's state, when this station shares one (set by the composition root). */
  officeQueue: (() => NonNullable<KioskState['officeQueue']>) | null = null;
  printer: PrinterHealth = { configured: false, online: false, paperEnd: false, paperNearEnd: false, coverOpen: false, pendingJobs: 0, detail: 'no printer configured' };

  constructor(
    private readonly ctx: DaemonContext,
    private readonly misuse: MisuseMonitor,
    private readonly upstream: Upstream,
    readonly demo: boolean,
  ) {}

  setDevice(health: DeviceHealth): void {
    this.devices.set(health.id, health);
    this.ctx.bus.emit('stateChanged');
  }

  setPrinter(update: Partial<PrinterHealth>): void {
    this.printer = { ...this.printer, ...update };
    this.ctx.bus.emit('stateChanged');
  }

  dataAge(now = this.ctx.now()): DataAge {
    return dataAge(this.ctx.cache.view.asOf(), now, this.ctx.config.maxCacheAgeSeconds);
  }

  kioskState(): KioskState {
    const { config, cache, tickets, hours } = this.ctx;
    const now = this.ctx.now();
    const waiting = tickets.waiting(config.office, now);
    const open = isOpen(hours, now);
    return {
      deviceId: config.deviceId,
      office: { code: config.office, name: cache.view.officeName(config.office), timeZone: this.ctx.clock.timeZone },
      mode: config.mode,
      demo: this.demo,
      upstream: this.upstream.state(),
      cache: this.dataAge(now),
      devices: [...this.devices.values()],
      printer: { ...this.printer, pendingJobs: this.ctx.printQueue?.pending() ?? 0 },
      queue: {
        waiting,
        estimatedWaitMinutes: tickets.estimatedWaitMinutes(config.office, now, waiting),
        capReached: waiting >= config.maxWaiting,
        recentlyCalled: tickets.recentlyCalled(config.office, now),
      },
      hours: {
        open,
        opensAt: open ? null : (nextOpening(hours, now)?.toISOString() ?? null),
        closesAt: closingTime(hours, now)?.toISOString() ?? null,
      },
      counters: config.counters,
      display: config.displaySound,
      procedureTypes: cache.view.procedureTypeNames(),
      alerts: this.misuse.current(now),
      ...(this.officeQueue ? { officeQueue: this.officeQueue() } : {}),
    };
  }
}
