// A durable print queue: jobs are rows in SQLite (own migration module 'printing'), drained in
// order when the printer is ready, retried with backoff otherwise, marked printed exactly once, and
// picked up again by a new PrintQueue on the same file after a restart.
import { TypedEmitter } from '../../drivers/events.js';
import { describeStatus, type PrinterStatus, type TicketContent, type TicketPrinter } from '../../drivers/printer/types.js';
import { Backoff, type BackoffOptions } from '../../drivers/scanner/reconnect.js';
import { silentLogger, type DriverLogger } from '../../drivers/types.js';
import type { Db, MigrationSet } from '../store/db.js';

export const printingMigrations: MigrationSet = {
  module: 'printing',
  steps: [
    {
      version: 1,
      name: 'print jobs',
      sql: `CREATE TABLE print_jobs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id TEXT NOT NULL UNIQUE,
        ticket TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'printed')),
        reprint INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        printed_at TEXT
      );
      CREATE INDEX print_jobs_pending ON print_jobs (state, seq);`,
    },
  ],
};

export type JobState = 'queued' | 'printed' | 'failed-retrying';

export interface PrintQueueEvents extends Record<string, unknown[]> {
  job: [{ jobId: string; state: JobState; detail: string }];
  printer: [PrinterStatus];
}

export interface PrintQueueOptions {
  retry?: BackoffOptions;
  /** Poll the printer's status while idle, emitting `printer` on change (ms). 0 disables. Default 15000. */
  statusIntervalMs?: number;
  logger?: DriverLogger;
}

interface JobRow {
  job_id: string;
  ticket: string;
  reprint: number;
}

const REPRINT_LINE = '再発行 / REPRINT';

function serialize(t: TicketContent): string {
  return JSON.stringify({ ...t, issuedAt: t.issuedAt.toISOString() });
}

function deserialize(text: string): TicketContent {
  const raw = JSON.parse(text) as TicketContent & { issuedAt: string };
  return { ...raw, issuedAt: new Date(raw.issuedAt) };
}

export class PrintQueue extends TypedEmitter<PrintQueueEvents> {
  private running = false;
  private loopDone: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private idle = false;
  private lastStatus = '';
  private readonly backoff: Backoff;
  private readonly logger: DriverLogger;

  constructor(
    private readonly db: Db,
    private readonly printer: TicketPrinter,
    private readonly opts: PrintQueueOptions = {},
  ) {
    super();
    this.backoff = new Backoff({ minMs: 500, maxMs: 10_000, ...opts.retry });
    this.logger = opts.logger ?? silentLogger;
  }

  /**
   * Queue a ticket; the same jobId again is ignored (returns false). Synchronous SQLite only, so it
   * may run inside the caller's own transaction; the `job` event follows once that committed.
   */
  enqueue(jobId: string, ticket: TicketContent): boolean {
    const inserted = this.db
      .prepare('INSERT INTO print_jobs (job_id, ticket, state, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (job_id) DO NOTHING')
      .run(jobId, serialize(ticket), 'queued', new Date().toISOString()).changes === 1;
    if (inserted) {
      queueMicrotask(() => {
        if (this.jobState(jobId) === null) return; // the caller's transaction rolled back
        this.emit('job', { jobId, state: 'queued', detail: 'queued' });
        if (this.idle) this.wake?.(); // a retry wait is not cut short by new jobs
      });
    }
    return inserted;
  }

  jobState(jobId: string): 'queued' | 'printed' | null {
    const row = this.db.prepare<[string], { state: string }>('SELECT state FROM print_jobs WHERE job_id = ?').get(jobId);
    if (!row) return null;
    return row.state === 'printed' ? 'printed' : 'queued';
  }

  pending(): number {
    return this.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM print_jobs WHERE state IN ('queued', 'sending')").get()!.n;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // A job caught mid-send by a crash may or may not be on paper: print it again, marked as a reprint.
    this.db.prepare("UPDATE print_jobs SET state = 'queued', reprint = 1 WHERE state = 'sending'").run();
    this.loopDone = this.loop();
  }

  /** Stops after the job in flight (if any) settles. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loopDone;
  }

  private next(): JobRow | undefined {
    return this.db.prepare<[], JobRow>("SELECT job_id, ticket, reprint FROM print_jobs WHERE state = 'queued' ORDER BY seq LIMIT 1").get();
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
    const job = this.next();
    if (!job) {
      await this.sleep(this.opts.statusIntervalMs ?? 15_000, true);
      return;
    }
    const ticket = deserialize(job.ticket);
    if (job.reprint) ticket.lines = [REPRINT_LINE, ...(ticket.lines ?? [])];
    this.db.prepare("UPDATE print_jobs SET state = 'sending', attempts = attempts + 1 WHERE job_id = ? AND state = 'queued'").run(job.job_id);
    try {
      await this.printer.print(ticket);
    } catch (e) {
      const detail = (e as Error).message;
      this.db.prepare("UPDATE print_jobs SET state = 'queued', last_error = ? WHERE job_id = ? AND state = 'sending'").run(detail, job.job_id);
      const status = (e as { context?: { status?: PrinterStatus } }).context?.status;
      if (status) this.emitStatus(status);
      const delay = this.backoff.delay();
      this.logger.warn({ jobId: job.job_id, detail, retryInMs: delay }, 'ticket not printed; will retry');
      this.emit('job', { jobId: job.job_id, state: 'failed-retrying', detail });
      await this.sleep(delay, false);
      return;
    }
    // On paper now: if recording that fails, the job stays 'sending' (never printed twice here;
    // after a restart it prints once more, marked as a reprint).
    this.db.prepare("UPDATE print_jobs SET state = 'printed', printed_at = ?, last_error = NULL WHERE job_id = ? AND state = 'sending'").run(new Date().toISOString(), job.job_id);
    this.backoff.reset();
    this.emitStatus({ online: true, paperEnd: false, paperNearEnd: false, coverOpen: false });
    this.emit('job', { jobId: job.job_id, state: 'printed', detail: 'printed' });
  }

  /** Wait ms, or until enqueue/stop wakes us; when idle, also refresh the printer status. */
  private async sleep(ms: number, idle: boolean): Promise<void> {
    if (idle && ms > 0) {
      const status = await this.printer.status().catch(() => null);
      if (status) this.emitStatus(status);
      if (!this.running || this.next()) return;
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
