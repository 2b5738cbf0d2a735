// The scan pipeline: every scanner, the UI's camera and typed input, and counter scans feed one
// queue. Each scan is verified, its effects applied in one SQLite transaction, and its verdict
// emitted. Scans are handled one at a time, so one application can never be handed out twice.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ScanSourceKind, VerdictEvent } from '../../protocol/events.js';
import type { DeviceMode, Verdict } from '../../protocol/verdict.js';
import { maskCode, maskName } from '../audit/mask.js';
import type { DaemonContext } from '../context.js';
import type { Payload } from '../core/kq1.js';
import { verifyCode } from '../core/verify.js';
import { KioskError } from '../errors.js';
import { retryWhileBusy } from '../store/db.js';
import { DuplicateFilter } from './dedupe.js';
import { MisuseMonitor } from './misuse.js';
import { SelfServiceTickets, type TicketOutcome } from './self-service.js';

/** Numbers a kiosk's ticket elsewhere (the office log), after the scan's own transaction. */
export interface OfficeTicketIssuer {
  ticketFor(verdict: Verdict, code: Payload, deviceId: string, now: Date): Promise<Partial<TicketOutcome>>;
}

/** How long a scan may wait for another process's write lock before it is answered with an error. */
const SCAN_WRITE_DEADLINE_MS = 10_000;
/** How long the kiosk screen may offer a reprint after a repeat scan. */
const REPRINT_OFFER_MS = 2 * 60_000;

export interface ScanInput {
  text: string;
  deviceId: string;
  source: ScanSourceKind;
  receivedAt: Date;
  /** Counter scans from a staff session judge as `counter` whatever this device's mode. */
  mode?: DeviceMode;
  staffId?: string;
}

export class ScanPipeline {
  private tail: Promise<unknown> = Promise.resolve();
  private accepting = true;
  private readonly duplicates: DuplicateFilter;
  private readonly lastByDevice = new Map<string, { text: string; event: VerdictEvent }>();
  readonly misuse = new MisuseMonitor();
  readonly selfService: SelfServiceTickets;
  /** Set when the queue is the office's (daemon/office/): tickets are numbered by the office log. */
  officeTickets: OfficeTicketIssuer | null = null;

  /** duplicateWindowMs: how long the same text from one device counts as a double read (default 3 s). */
  constructor(
    private readonly ctx: DaemonContext,
    { duplicateWindowMs }: { duplicateWindowMs?: number } = {},
  ) {
    this.duplicates = new DuplicateFilter(duplicateWindowMs);
    this.selfService = new SelfServiceTickets(ctx);
  }

  /** Queue a scan; resolves with the verdict event once its effects are committed and emitted. */
  submit(input: ScanInput): Promise<VerdictEvent> {
    if (!this.accepting) return Promise.reject(new KioskError('the daemon is shutting down', 'DEVICE_UNAVAILABLE'));
    const run = this.tail.then(() => this.process(input));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Stop taking scans and wait for the one in flight (graceful shutdown). */
  async drain(): Promise<void> {
    this.accepting = false;
    await this.tail;
  }

  private async process(input: ScanInput): Promise<VerdictEvent> {
    try {
      return await this.judge(input);
    } catch (e) {
      this.ctx.logger.error({ err: e, deviceId: input.deviceId, source: input.source, code: maskCode(input.text) }, 'scan could not be recorded');
      throw e;
    }
  }

  private async judge(input: ScanInput): Promise<VerdictEvent> {
    const { config, cache, metrics, bus } = this.ctx;
    const started = performance.now();
    const previous = this.lastByDevice.get(input.deviceId);
    if (this.duplicates.isDuplicate(input.deviceId, input.text, input.receivedAt) && previous?.text === input.text) {
      // Scanners double-fire: answer with the earlier verdict and change nothing.
      metrics.scans.inc({ outcome: 'duplicate', reason: previous.event.verdict.reason ?? '', code_type: previous.event.verdict.codeType ?? '' });
      const event = { ...previous.event, duplicate: true };
      bus.emit('verdict', event);
      return event;
    }

    const now = this.ctx.now();
    const mode = input.mode ?? config.mode;
    const verifyStarted = performance.now();
    const { verdict, payload } = verifyCode(input.text, { office: config.office, mode, now, maxCacheAgeSeconds: config.maxCacheAgeSeconds, data: cache.view });
    metrics.verifySeconds.observe((performance.now() - verifyStarted) / 1000);

    const scanId = randomUUID();
    const base: VerdictEvent = { scanId, deviceId: input.deviceId, source: input.source, receivedAt: input.receivedAt.toISOString(), verdict, ticket: null, ...(input.staffId ? { staffId: input.staffId } : {}) };
    // Another process (`kiosk import`, the staff CLI) may hold the write lock for a moment: wait for it.
    // In an office the log numbers the ticket, after this transaction (`officeCode`).
    const recorded = await retryWhileBusy(
      () =>
        cache.db.transaction((): { event: VerdictEvent; officeCode: Payload | null } => {
          this.record(scanId, input, verdict, now);
          const code = verdict.outcome === 'accepted' ? payload : null;
          if (mode === 'kiosk' && code && (code.typ === 'APP' || code.typ === 'AUTH')) {
            if (this.officeTickets) return { event: base, officeCode: code };
            return { event: { ...base, ...this.selfService.ticketFor(verdict, code, input.deviceId, now) }, officeCode: null };
          }
          return { event: base, officeCode: null };
        })(),
      { deadlineMs: SCAN_WRITE_DEADLINE_MS, onWait: () => this.ctx.logger.debug({ scanId }, 'scan waits for the database write lock') },
    );
    const event: VerdictEvent =
      recorded.officeCode && this.officeTickets ? { ...recorded.event, ...(await this.officeTickets.ticketFor(verdict, recorded.officeCode, input.deviceId, now)) } : recorded.event;

    this.lastByDevice.set(input.deviceId, { text: input.text, event });
    // A reprint is offered for a ticket still in the queue's hands, not for a cancelled one.
    if (event.repeat && event.ticket && event.position?.status !== 'cancelled' && event.position?.status !== 'done') this.rememberRepeat(scanId, event.ticket.id, now);
    metrics.scans.inc({ outcome: verdict.outcome, reason: verdict.reason ?? '', code_type: verdict.codeType ?? '' });
    if (verdict.outcome === 'rejected') this.checkMisuse(input.deviceId, now);
    bus.emit('verdict', event);
    if (event.ticket) bus.emit('stateChanged');
    metrics.scanSeconds.observe((performance.now() - started) / 1000);
    this.ctx.logger.info(
      { scanId, deviceId: input.deviceId, source: input.source, code: maskCode(input.text), outcome: verdict.outcome, reason: verdict.reason, ticket: event.ticket?.number },
      'scan',
    );
    return event;
  }

  /** The audit rows of a scan and its verdict, and the outbox event of a rejection. */
  private record(scanId: string, input: ScanInput, verdict: Verdict, now: Date): void {
    const { audit, outbox } = this.ctx;
    const staff = input.staffId ? { staffId: input.staffId } : {};
    audit.append({ type: 'scan', deviceId: input.deviceId, ...staff, scanId, at: now, data: { source: input.source, code: maskCode(input.text), length: input.text.length } });
    audit.append({
      type: 'verdict',
      deviceId: input.deviceId,
      ...staff,
      scanId,
      at: now,
      data: {
        outcome: verdict.outcome,
        reason: verdict.reason,
        codeType: verdict.codeType,
        jti: verdict.jti,
        receiver: verdict.receiver && { id: verdict.receiver.id, name: maskName(verdict.receiver.name) },
        applications: verdict.applications.map((a) => audit.receipt(a.receiptNumber)),
        excluded: verdict.excluded.map((a) => audit.receipt(a.receiptNumber)),
      },
    });
    if (verdict.outcome === 'rejected') {
      outbox.add(
        { id: randomUUID(), type: 'rejected-scan', at: now, data: { scanId, deviceId: input.deviceId, reason: verdict.reason, codeType: verdict.codeType, jti: verdict.jti } },
        now,
      );
    }
  }

  /** Tickets a repeat scan showed recently, by scan id: the kiosk screen may offer to reprint them. */
  private readonly repeats = new Map<string, { ticketId: string; at: number }>();

  private rememberRepeat(scanId: string, ticketId: string, now: Date): void {
    // Oldest first (a Map keeps insertion order): stop at the first offer still open.
    for (const [id, r] of this.repeats) {
      if (now.getTime() - r.at <= REPRINT_OFFER_MS) break;
      this.repeats.delete(id);
    }
    this.repeats.set(scanId, { ticketId, at: now.getTime() });
  }

  /** The ticket a recent repeat scan showed; each offer is used once. */
  takeReprintOffer(scanId: string, now: Date): string | null {
    const r = this.repeats.get(scanId);
    this.repeats.delete(scanId);
    return r && now.getTime() - r.at <= REPRINT_OFFER_MS ? r.ticketId : null;
  }

  private checkMisuse(deviceId: string, now: Date): void {
    const alert = this.misuse.rejected(deviceId, now);
    if (!alert) return;
    this.ctx.audit.append({ type: 'alert', deviceId, at: now, data: { kind: 'rejected-scans', message: alert.message.en } });
    this.ctx.logger.warn({ deviceId }, alert.message.en);
    this.ctx.bus.emit('stateChanged');
  }
}
