// The composition root (Zigbee2MQTT controller.ts style): builds the store, drivers, features and
// server from one validated Config, starts them, and stops them in reverse order.
import { once } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server as SocketServer } from 'socket.io';
import { createPrinter, createScanSources, VirtualPrinter, type ScanSource } from '../drivers/index.js';
import { AuditAnchorKeeper } from './audit/anchor.js';
import { AuditLog } from './audit/audit-log.js';
import { auditMigrations } from './audit/schema.js';
import { EventBus } from './bus.js';
import type { UpstreamState } from '../protocol/events.js';
import type { Config } from './config.js';
import type { DaemonContext } from './context.js';
import { parseOpeningHours } from './counter/hours.js';
import { OfficeClock } from './counter/office-clock.js';
import { counterMigrations } from './counter/schema.js';
import { StaffActions } from './counter/staff-actions.js';
import { TicketSettler } from './counter/ticket-settler.js';
import { TicketStore } from './counter/tickets.js';
import { demoCodes, withQrPng } from './demo/demo-data.js';
import { refuseDemoData } from './demo/demo-guard.js';
import { startDemoHub, type DemoHub } from './demo/demo-hub.js';
import { HealthBoard } from './health-board.js';
import { createLogger, type Logger } from './logger.js';
import { KioskMetrics } from './metrics.js';
import { KioskError } from './errors.js';
import { Outbox } from './outbox/outbox.js';
import { outboxMigrations } from './outbox/schema.js';
import { PrintQueue, printingMigrations } from './printing/print-queue.js';
import { ScanPipeline } from './scan/pipeline.js';
import { allowedHostsHandshake } from './server/allowed-hosts.js';
import { createHttpApp, createHttpServer } from './server/http.js';
import { attachSockets } from './server/sockets.js';
import { Upstream } from './upstream.js';
import { staffMigrations } from './staff/schema.js';
import { StaffStore } from './staff/staff-store.js';
import { Cache } from './store/cache.js';
import { OfficeStation, officeQueueMigrations, raftMigrations } from './office/office-station.js';
import { acquireDaemonLock, type DaemonLock } from './store/daemon-lock.js';

export const DAEMON_MIGRATIONS = [counterMigrations, staffMigrations, auditMigrations, outboxMigrations, printingMigrations];

/** What a running daemon holds, stopped in reverse order. */
interface DaemonParts {
  ctx: DaemonContext;
  board: HealthBoard;
  pipeline: ScanPipeline;
  actions: StaffActions;
  scanners: ScanSource[];
  virtualPrinter: VirtualPrinter | null;
  http: HttpServer;
  io: SocketServer;
  url: string;
  sockets: { stop(): void };
  lock: DaemonLock;
  upstream: Upstream;
  demoHub: DemoHub | null;
  settler: TicketSettler;
  anchor: AuditAnchorKeeper;
  office: OfficeStation | null;
}

export interface DaemonOptions {
  /** Pin the clock (tests). */
  now?: () => Date;
  /** Where pino writes; stdout by default. */
  logDestination?: NodeJS.WritableStream;
  /** The built UI; default dist/kiosk-ui of this checkout. */
  uiDir?: string;
  /** How long the same text from one device is one scan (default 3 s; tests set 0 to hammer the pipeline). */
  duplicateWindowMs?: number;
}

/** A statement blocks the event loop at most this long for another process's lock; scans and staff actions then wait asynchronously (retryWhileBusy). */
const DAEMON_BUSY_TIMEOUT_MS = 50;
/** The event loop counts as stuck when a 500 ms ticker is this late. */
const EVENT_LOOP_STALL_MS = 2000;
const STATE_REFRESH_MS = 15_000;

export class Daemon {
  private readonly timers: NodeJS.Timeout[] = [];
  private lastTick = Date.now();
  private stopping: Promise<void> | undefined;

  readonly ctx: DaemonContext;
  readonly board: HealthBoard;
  readonly pipeline: ScanPipeline;
  readonly actions: StaffActions;
  readonly url: string;

  private constructor(private readonly parts: DaemonParts) {
    ({ ctx: this.ctx, board: this.board, pipeline: this.pipeline, actions: this.actions, url: this.url } = parts);
  }

  static async start(config: Config, options: DaemonOptions = {}): Promise<Daemon> {
    const logger = createLogger(config.logLevel, options.logDestination);
    const now = options.now ?? (() => new Date());
    // Everything that can be wrong in the configuration fails here, before anything opens.
    const clock = new OfficeClock(config.timeZone);
    const hours = parseOpeningHours(config.hours, config.holidays, clock);
    const scanners = createScanSources(config.scanners, logger);
    const demo = config.upstream === undefined;

    // Whatever started is stopped again if a later step fails, so a failed start exits cleanly.
    const undo: (() => unknown)[] = [];
    let daemon: Daemon | undefined;
    try {
      let virtualPrinter: VirtualPrinter | null = null;
      // The virtual printer is a demo default only: a real configuration without KIOSK_PRINTER has no printer, and says so.
      let printerSpec = config.printer ?? (demo ? undefined : 'none');
      if (printerSpec === undefined) {
        virtualPrinter = new VirtualPrinter({ host: '127.0.0.1', port: 0, type: config.printerType });
        printerSpec = `tcp://127.0.0.1:${(await virtualPrinter.start()).port}`;
        const demoPrinter = virtualPrinter;
        undo.push(() => demoPrinter.stop());
      }
      const printer = printerSpec === 'none' ? null : createPrinter(printerSpec, config.printerType);

      const lock = acquireDaemonLock(config.dataDir);
      undo.push(() => lock.release());
      const migrations = config.queue.kind === 'local' ? DAEMON_MIGRATIONS : [...DAEMON_MIGRATIONS, raftMigrations, officeQueueMigrations];
      const cache = Cache.open(config.dataDir, migrations, { busyTimeoutMs: DAEMON_BUSY_TIMEOUT_MS });
      undo.push(() => cache.close());
      let demoHub: DemoHub | null = null;
      if (demo) {
        cache.markDemo();
        demoHub = await startDemoHub(config.dataDir, config.deviceId, config.office, logger);
        const started = demoHub;
        undo.push(() => started.stop());
      } else {
        refuseDemoData(config.dataDir, cache);
      }

      const bus = new EventBus((event, error) => logger.error({ err: error, event }, 'event listener failed'));
      const ctx: DaemonContext = {
        config,
        cache,
        audit: new AuditLog(cache.db),
        outbox: new Outbox(cache.db),
        tickets: new TicketStore(cache.db, clock),
        staff: new StaffStore(cache.db),
        printQueue: printer ? new PrintQueue(cache.db, printer, { logger, now, confirm: config.printerConfirm, timeZone: clock.timeZone }) : null,
        bus,
        logger,
        metrics: undefined as unknown as KioskMetrics, // set just below: the sources read the board
        hours,
        clock,
        now,
      };
      const pipeline = new ScanPipeline(ctx, options.duplicateWindowMs === undefined ? {} : { duplicateWindowMs: options.duplicateWindowMs });
      const upstream = demoHub
        ? new Upstream(ctx, demoHub.url, demoHub.token)
        : new Upstream(ctx, config.upstream && config.upstream !== 'none' ? config.upstream : null, config.upstreamToken);
      const board = new HealthBoard(ctx, pipeline.misuse, upstream, demo);
      if (printer) board.setPrinter({ configured: true, detail: printer.target });
      ctx.metrics = new KioskMetrics({
        upstream: () => upstream.state(),
        outboxDepth: () => ctx.outbox.depth(),
        cacheAgeSeconds: () => board.dataAge().ageSeconds,
        devices: () => [...board.devices.values()].map((d) => ({ id: d.id, connected: d.state === 'connected' })),
        printer: () => ({ ...board.printer, pendingJobs: ctx.printQueue?.pending() ?? 0 }),
        waitingTickets: () => ctx.tickets.waiting(config.office, now()),
        officeQueue: () => board.officeQueue?.() ?? null,
      });
      const actions = new StaffActions(ctx);
      // One office, many stations (docs/office.md): the queue is the office log's, not this station's.
      const office = config.queue.kind === 'local' ? null : new OfficeStation(ctx, actions);
      if (office) {
        office.checkOwnQueue();
        pipeline.officeTickets = office.tickets(pipeline.selfService);
        board.officeQueue = () => office.state();
      }

      const app = createHttpApp({
        ctx,
        board,
        uiDir: options.uiDir ?? defaultUiDir(),
        healthy: () => daemon?.health() ?? { ok: false, checks: { daemon: 'starting' } },
        office: office?.routes ?? null,
        demo: demoHub
          ? {
              codes: async () => withQrPng(await demoCodes(demoHub!.mint, now())),
              printed: () => virtualPrinter?.decode().slice(-10) ?? [],
            }
          : null,
      });
      const http = createHttpServer(app);
      const io = new SocketServer(http, { serveClient: false, maxHttpBufferSize: 256 * 1024, allowRequest: allowedHostsHandshake(config.allowedHosts) });
      undo.push(() => new Promise((resolve) => io.close(() => resolve(undefined))));
      const sockets = attachSockets({ io, ctx, board, pipeline, actions, officeQueue: office?.actions ?? null });
      http.listen(config.port, config.host);
      await Promise.race([once(http, 'listening'), once(http, 'error').then(([e]) => Promise.reject(e))]);
      const address = http.address() as AddressInfo;
      const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
      const settler = new TicketSettler(ctx);
      const anchor = new AuditAnchorKeeper(ctx.audit, config.dataDir, (message) => logger.error(message));
      const started = new Daemon({ ctx, board, pipeline, actions, scanners, virtualPrinter, http, io, url, sockets, lock, upstream, demoHub, settler, anchor, office });
      daemon = started;
      started.startDevices();
      upstream.start();
      // Settling reads this station's cache: in an office the queue changes only through the office log.
      if (office) office.start(url);
      else settler.start();
      anchor.start();
      started.timers.push(
        setInterval(() => (started.lastTick = Date.now()), 500),
        setInterval(() => {
          sockets.dropEndedSessions();
          sockets.broadcastState();
        }, STATE_REFRESH_MS),
      );
      if (!demo && config.printer === undefined) logger.warn('no KIOSK_PRINTER: tickets cannot be printed (set tcp://host:9100, file:/path, or none to silence this)');
      if (demoHub) logger.warn({ hub: demoHub.url }, 'DEMO MODE: no KIOSK_UPSTREAM, so a demo hub runs in this process with demo data and a demo signing key; set KIOSK_UPSTREAM (a hub URL, or none) and another KIOSK_DATA_DIR on a real counter');
      logger.info({ url, office: config.office, mode: config.mode, queue: config.queue.kind, demo, printer: printer?.target ?? 'none', scanners: scanners.map((s) => s.id) }, 'kiosk daemon started');
      return started;
    } catch (e) {
      for (const step of undo.reverse()) await Promise.resolve().then(step).catch(() => undefined);
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new KioskError(`bad configuration: KIOSK_HOST/KIOSK_PORT: ${config.host}:${config.port} is already in use`, 'CONFIG_INVALID');
      }
      throw e;
    }
  }

  /** /healthz and the systemd watchdog: the database answers and the event loop is not stuck. The hub link is reported, not required: the kiosk works offline. */
  health(): { ok: boolean; checks: Record<string, string>; upstream?: UpstreamState } {
    const checks: Record<string, string> = {};
    try {
      this.ctx.cache.db.prepare('SELECT 1').get();
      checks['database'] = 'ok';
    } catch (e) {
      checks['database'] = (e as Error).message;
    }
    const lag = Date.now() - this.lastTick;
    checks['eventLoop'] = lag < EVENT_LOOP_STALL_MS ? 'ok' : `stalled ${lag} ms`;
    return { ok: Object.values(checks).every((c) => c === 'ok'), checks, upstream: this.parts.upstream.state() };
  }

  private startDevices(): void {
    const { logger } = this.ctx;
    for (const scanner of this.parts.scanners) {
      scanner.on('scan', (scan) => {
        this.pipeline.submit(scan).catch((e: unknown) => logger.error({ err: e, deviceId: scan.deviceId }, 'scan failed'));
      });
      scanner.on('state', (s) => {
        logger.info({ deviceId: s.id, state: s.state, detail: s.detail }, 'scanner state');
        this.board.setDevice({ id: s.id, kind: scanner.kind, state: s.state, detail: s.detail });
      });
      scanner.on('warning', (w) => logger.warn({ deviceId: w.id }, w.message));
      this.board.setDevice({ id: scanner.id, kind: scanner.kind, state: scanner.state(), detail: scanner.detail() });
      scanner.start().catch((e: unknown) => logger.error({ err: e, deviceId: scanner.id }, 'scanner failed to start'));
    }
    const queue = this.ctx.printQueue;
    if (queue) {
      // detail is replaced, not merged: a recovered printer must not keep the old complaint.
      queue.on('printer', (s) => this.board.setPrinter({ online: s.online, paperEnd: s.paperEnd, paperNearEnd: s.paperNearEnd, coverOpen: s.coverOpen, detail: s.detail }));
      const printing = () => this.board.setPrinter({ confirmation: queue.confirmation(), failedJobs: queue.failedJobs(), notices: queue.notices() });
      queue.on('notice', printing);
      printing();
      queue.on('job', (j) => {
        logger.info({ jobId: j.jobId, state: j.state, detail: j.detail }, 'print job');
        printing();
      });
      queue.start();
    }
  }

  /** Graceful shutdown: finish the scan in flight, stop devices and server, close the database. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const t of this.timers) clearInterval(t);
      await this.pipeline.drain();
      const { scanners, sockets, io, http, virtualPrinter, lock, upstream, demoHub, settler, anchor, office } = this.parts;
      settler.stop();
      await office?.stop();
      await Promise.allSettled(scanners.map((s) => s.stop()));
      await upstream.stop();
      await demoHub?.stop();
      await this.ctx.printQueue?.stop();
      sockets.stop();
      // Drop the screens first: io.close() waits for open connections otherwise.
      io.disconnectSockets(true);
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      http.closeAllConnections();
      await closed;
      await virtualPrinter?.stop();
      anchor.stop(); // the last head, once nothing appends any more
      this.ctx.cache.close();
      lock.release();
      this.ctx.logger.info('kiosk daemon stopped');
    })();
    return this.stopping;
  }
}

function defaultUiDir(): string {
  // dist/daemon/controller.js → dist/kiosk-ui; daemon/controller.ts (tests) → dist/kiosk-ui too.
  const here = dirname(fileURLToPath(import.meta.url));
  const root = here.includes(`${join('dist', 'daemon')}`) ? resolve(here, '../..') : resolve(here, '..');
  return join(root, 'dist', 'kiosk-ui');
}
