// A durable print queue: jobs are rows in SQLite (job-store.ts), drained in order when the printer
// is ready, and printed exactly once as far as a printer lets anyone know:
// - not sent (printer not ready, unreachable): kept, retried with backoff, as often as it takes;
// - sent but not confirmed (paper ran out mid-ticket, the printer hung up, no answer): it may be on
//   paper, so it is never resent blindly: the next try asks the status first and prints it once
//   more, marked 再発行 / REPRINT, and staff are told; a second unconfirmed send sets it aside;
// - sent, no confirmation, printer ready afterwards: printed or not by the confirmation policy
//   (KIOSK_PRINTER_CONFIRM; `auto` learns which printers cannot confirm);
// - a ticket that can never print (it does not render): set aside as failed at once.
// Failed jobs stay in the table for staff; the queue goes on with the next job.
import { isKioskError } from '../../protocol/errors.js';
import { describeStatus, TypedEmitter, type PrintFailure, type PrinterStatus, type PrintResult, type TicketContent, type TicketPrinter } from '../../drivers/index.js';
import { REPRINT_MARK } from '../../drivers/printer/ticket-layout.js';
import { Backoff, type BackoffOptions } from '../../drivers/scanner/reconnect.js';
import { silentLogger, type DriverLogger } from '../../drivers/types.js';
import type { Db } from '../store/db.js';
import { PrintJobStore, type FailedJob, type PendingJob } from './job-store.js';

export { printingMigrations } from './schema.js';
export type { FailedJob } from './job-store.js';

export type JobState = 'queued' | 'printed' | 'failed-retrying' | 'unconfirmed' | 'failed';

/** always: only the printer's confirmation counts. never: "sent and ready afterwards" counts. auto: learn which one the printer is. */
export type ConfirmPolicy = 'auto' | 'always' | 'never';

/** Something staff should know about printing. */
export interface PrintNotice {
  at: string;
  kind: 'resend' | 'failed' | 'cannot-confirm' | 'confirms';
  jobId: string | null;
  number: string | null;
  message: string;
}

export interface PrintQueueEvents extends Record<string, unknown[]> {
  job: [{ jobId: string; state: JobState; detail: string }];
  printer: [PrinterStatus];
  notice: [PrintNotice];
}

export interface PrintQueueOptions {
  retry?: BackoffOptions;
  /** Poll the printer's status while idle, emitting `printer` on change (ms). 0 disables. Default 15000. */
  statusIntervalMs?: number;
  confirm?: ConfirmPolicy;
  /** `auto`, for a printer learned not to confirm: how long to still wait for one (ms). Default 2000. */
  learnedConfirmWaitMs?: number;
  logger?: DriverLogger;
  now?: () => Date;
  /** The office's time zone, for jobs queued before tickets carried it. */
  timeZone?: string;
}

/** Times a ticket's bytes may go out: once, and one marked resend. */
const MAX_SENDS = 2;
const MAX_NOTICES = 10;

export class PrintQueue extends TypedEmitter<PrintQueueEvents> {
  private running = false;
  private loopDone: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private idle = false;
  private lastStatus = '';
  private readonly recent: PrintNotice[] = [];
  private readonly backoff: Backoff;
  private readonly logger: DriverLogger;
  private readonly store: PrintJobStore;
  private readonly now: () => Date;

  constructor(
    db: Db,
    private readonly printer: TicketPrinter,
    private readonly opts: PrintQueueOptions = {},
  ) {
    super();
    this.store = new PrintJobStore(db, opts.timeZone);
    this.backoff = new Backoff({ minMs: 500, maxMs: 10_000, ...opts.retry });
    this.logger = opts.logger ?? silentLogger;
    this.now = opts.now ?? (() => new Date());
  }

  /**
   * Queue a ticket; the same jobId again is ignored (returns false). Synchronous SQLite only, so it
   * may run inside the caller's own transaction; the `job` event follows once that committed.
   */
  enqueue(jobId: string, ticket: TicketContent): boolean {
    const inserted = this.store.insert(jobId, ticket, this.now());
    if (inserted) {
      queueMicrotask(() => {
        if (this.store.state(jobId) === null) return; // the caller's transaction rolled back
        this.emit('job', { jobId, state: 'queued', detail: 'queued' });
        if (this.idle) this.wake?.(); // a retry wait is not cut short by new jobs
      });
    }
    return inserted;
  }

  jobState(jobId: string): 'queued' | 'printed' | 'failed' | null {
    return this.store.state(jobId);
  }

  pending(): number {
    return this.store.pending();
  }

  /** Jobs set aside (newest first): staff decide what to do (e.g. reprint at the counter). */
  failedJobs(limit?: number): FailedJob[] {
    return this.store.failed(limit);
  }

  /** The latest notices, newest first. */
  notices(): PrintNotice[] {
    return [...this.recent];
  }

  /** What is known of this printer: it confirms (`printer`), it cannot (`status`), or not known yet. */
  confirmation(): 'printer' | 'status' | 'unknown' {
    if (this.opts.confirm === 'never') return 'status';
    const confirms = this.store.confirms(this.printer.target);
    return confirms === null ? 'unknown' : confirms ? 'printer' : 'status';
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.store.recoverInterrupted();
    this.loopDone = this.loop();
  }

  /** Stops after the job in flight (if any) settles. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        await this.printNext();
      } catch (e) {
        // The database refused (busy, disk full): never let that end the loop or the process.
        const delay = this.backoff.delay();
        this.logger.warn({ detail: (e as Error).message, retryInMs: delay }, 'print queue: database error; will retry');
        await this.sleep(delay, false);
      }
    }
  }

  private async printNext(): Promise<void> {
    const job = this.store.next();
    if (!job) {
      await this.sleep(this.opts.statusIntervalMs ?? 15_000, true);
      return;
    }
    if (job.sends >= MAX_SENDS) {
      this.setAside(job, `sent ${job.sends} times without a confirmation; not sent again`);
      return;
    }
    this.store.markSending(job.jobId);
    let recordError: unknown;
    let result: PrintResult;
    try {
      result = await this.printer.print(marked(job), {
        confirmWaitMs: this.confirmWaitMs(),
        beforeSend: () => {
          try {
            this.store.recordSend(job.jobId);
          } catch (e) {
            recordError = e;
            throw e;
          }
        },
      });
    } catch (e) {
      if (recordError !== undefined) {
        this.store.requeue(job.jobId, (recordError as Error).message);
        throw recordError; // nothing went out; the loop backs off
      }
      await this.notPrinted(job, e);
      return;
    }
    this.emitStatus(result.status);
    if (result.confirmedBy === 'printer') {
      if (this.store.confirms(this.printer.target) === false) this.notice('confirms', null, `printer ${this.printer.target} confirms printing again`);
      this.store.learnConfirms(this.printer.target, true, this.now());
      this.printed(job, 'printer');
      return;
    }
    const policy = this.opts.confirm ?? 'auto';
    if (policy === 'always') {
      this.unconfirmed(job, 'the printer did not confirm the ticket');
      return;
    }
    if (policy === 'auto' && this.store.confirms(this.printer.target) !== false) {
      this.store.learnConfirms(this.printer.target, false, this.now());
      this.notice('cannot-confirm', job, `printer ${this.printer.target} does not confirm printing: a ticket counts as printed when the printer reports ready after it was sent`);
    }
    this.printed(job, 'status');
  }

  private confirmWaitMs(): number | undefined {
    const policy = this.opts.confirm ?? 'auto';
    if (policy === 'never') return 0;
    if (policy === 'auto' && this.store.confirms(this.printer.target) === false) return this.opts.learnedConfirmWaitMs ?? 2000;
    return undefined;
  }

  private printed(job: PendingJob, by: 'printer' | 'status'): void {
    // On paper now: if recording that fails, the job stays 'sending' (never printed twice in this
    // run; after a restart it prints once more, marked, since its send was recorded).
    this.store.printed(job.jobId, by, this.now());
    this.backoff.reset();
    this.emit('job', { jobId: job.jobId, state: 'printed', detail: by === 'printer' ? 'printed' : 'printed (no confirmation; printer ready after sending)' });
  }

  private async notPrinted(job: PendingJob, e: unknown): Promise<void> {
    if (!isKioskError(e, 'PRINTER_UNAVAILABLE')) {
      this.setAside(job, `cannot be printed: ${(e as Error).message}`);
      return;
    }
    const failure = e.context as unknown as PrintFailure;
    this.emitStatus(failure.status);
    if (failure.sent) {
      this.unconfirmed(job, failure.reason);
      return;
    }
    this.store.requeue(job.jobId, e.message);
    const delay = this.backoff.delay();
    this.logger.warn({ jobId: job.jobId, detail: e.message, retryInMs: delay }, 'ticket not printed; will retry');
    this.emit('job', { jobId: job.jobId, state: 'failed-retrying', detail: e.message });
    await this.sleep(delay, false);
  }

  /** Sent, not confirmed: maybe on paper. One more time, marked, after the printer says it is ready. */
  private unconfirmed(job: PendingJob, detail: string): void {
    const sends = job.sends + 1;
    if (sends >= MAX_SENDS) {
      this.setAside({ ...job, sends }, `not confirmed after one resend: ${detail}`);
      return;
    }
    this.store.requeue(job.jobId, detail);
    this.emit('job', { jobId: job.jobId, state: 'unconfirmed', detail });
    this.notice('resend', job, `ticket ${job.ticket.number} may not have printed (${detail}); printing it once more, marked ${REPRINT_MARK}`);
  }

  private setAside(job: PendingJob, reason: string): void {
    this.store.fail(job.jobId, reason, this.now());
    this.emit('job', { jobId: job.jobId, state: 'failed', detail: reason });
    this.notice('failed', job, `ticket ${job.ticket.number} was not printed and is set aside: ${reason}`);
  }

  private notice(kind: PrintNotice['kind'], job: PendingJob | null, message: string): void {
    const notice: PrintNotice = { at: this.now().toISOString(), kind, jobId: job?.jobId ?? null, number: job?.ticket.number ?? null, message };
    this.recent.unshift(notice);
    this.recent.splice(MAX_NOTICES);
    this.logger.warn({ jobId: notice.jobId, kind }, message);
    this.emit('notice', notice);
  }

  /** Wait ms, or until enqueue/stop wakes us; when idle, also refresh the printer status. */
  private async sleep(ms: number, idle: boolean): Promise<void> {
    if (idle && ms > 0) {
      const status = await this.printer.status().catch(() => null);
      if (status) this.emitStatus(status);
      if (!this.running || this.store.next()) return;
    }
    this.idle = idle;
    await new Promise<void>((resolve) => {
      const timer = ms > 0 ? setTimeout(done, ms) : undefined;
      function done() {
        if (timer) clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
    this.wake = undefined;
    this.idle = false;
  }

  private emitStatus(status: PrinterStatus): void {
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.logger.info({ printer: this.printer.target, status: describeStatus(status) }, 'printer status');
    this.emit('printer', status);
  }
}

/** A job sent before is marked as a reprint, once; a reprint someone asked for carries the mark already. */
function marked(job: PendingJob): TicketContent {
  const lines = job.ticket.lines ?? [];
  const reprint = job.sends > 0 || job.ticket.reprint === true || lines.includes(REPRINT_MARK);
  return { ...job.ticket, lines: lines.filter((l) => l !== REPRINT_MARK), reprint };
}
