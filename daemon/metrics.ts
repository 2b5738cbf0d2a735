// Prometheus metrics (prom-client) on a registry of the daemon's own, so two daemons in one
// process (tests) do not share counters.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UpstreamState } from '../protocol/events.js';

export interface MetricsSources {
  upstream(): UpstreamState;
  outboxDepth(): number;
  cacheAgeSeconds(): number | null;
  devices(): { id: string; connected: boolean }[];
  printer(): { configured: boolean; online: boolean; paperEnd: boolean; coverOpen: boolean; pendingJobs: number };
  waitingTickets(): number;
  /** The office queue's state (docs/office.md); null on a one-machine station. */
  officeQueue?(): { state: 'current' | 'unavailable' } | null;
}

export class KioskMetrics {
  readonly registry = new Registry();
  readonly scans = new Counter({ name: 'kiosk_scans_total', help: 'Scans by outcome and reason (duplicate reads count as outcome "duplicate")', labelNames: ['outcome', 'reason', 'code_type'], registers: [this.registry] });
  readonly verifySeconds = new Histogram({
    name: 'kiosk_verify_seconds',
    help: 'Time to verify one scan (decode, signature, decision table)',
    buckets: [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05],
    registers: [this.registry],
  });
  readonly scanSeconds = new Histogram({
    name: 'kiosk_scan_seconds',
    help: 'Scan received to verdict emitted, effects committed',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  readonly staffActions = new Counter({ name: 'kiosk_staff_actions_total', help: 'Staff actions by kind and result', labelNames: ['kind', 'result'], registers: [this.registry] });

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'kiosk_process_' });
    const registers = [this.registry];
    new Gauge({ name: 'kiosk_outbox_depth', help: 'Events waiting to be sent upstream', registers, collect() { this.set(sources.outboxDepth()); } });
    new Gauge({
      name: 'kiosk_cache_age_seconds',
      help: 'Age of the cached master data (since its asOf); -1 when empty',
      registers,
      collect() { this.set(sources.cacheAgeSeconds() ?? -1); },
    });
    new Gauge({
      name: 'kiosk_device_connected',
      help: 'Scanner connected (1) or not (0)',
      labelNames: ['device'],
      registers,
      collect() {
        this.reset();
        for (const d of sources.devices()) this.set({ device: d.id }, d.connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'kiosk_printer_state',
      help: 'Printer condition flags (1 = true)',
      labelNames: ['condition'],
      registers,
      collect() {
        const p = sources.printer();
        for (const [k, v] of Object.entries({ configured: p.configured, online: p.online, paper_end: p.paperEnd, cover_open: p.coverOpen })) this.set({ condition: k }, v ? 1 : 0);
      },
    });
    new Gauge({ name: 'kiosk_print_jobs_pending', help: 'Tickets waiting to print', registers, collect() { this.set(sources.printer().pendingJobs); } });
    new Gauge({
      name: 'kiosk_upstream_online',
      help: 'The hub answered the last exchange (1), or not (0); -1 standalone (no hub configured)',
      registers,
      collect() {
        const s = sources.upstream().state;
        this.set(s === 'standalone' ? -1 : s === 'online' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'kiosk_upstream_last_sync_timestamp_seconds',
      help: 'When the hub last answered (Unix seconds); 0 never',
      registers,
      collect() {
        const at = sources.upstream().lastSyncAt;
        this.set(at ? Date.parse(at) / 1000 : 0);
      },
    });
    new Gauge({
      name: 'kiosk_clock_skew_seconds',
      help: "The hub's clock minus this device's, from the last exchange (expiry and hours depend on it; over 120 s is shown to staff)",
      registers,
      collect() {
        this.set(sources.upstream().clockSkewSeconds ?? 0);
      },
    });
    new Gauge({ name: 'kiosk_tickets_waiting', help: 'Tickets waiting to be called today', registers, collect() { this.set(sources.waitingTickets()); } });
    new Gauge({
      name: 'kiosk_office_queue_current',
      help: 'The office queue: 1 this station hears the queue holder (or is it), 0 it cannot reach a majority of the stations, -1 no office queue (KIOSK_QUEUE=local)',
      registers,
      collect() {
        const q = sources.officeQueue?.() ?? null;
        this.set(q === null ? -1 : q.state === 'current' ? 1 : 0);
      },
    });
  }
}
