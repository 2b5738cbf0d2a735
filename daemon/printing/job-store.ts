// The print queue's rows: one per ticket job, and one per printer whose confirming was learned.
// Synchronous (better-sqlite3), so an enqueue can run inside the caller's transaction.
import type { TicketContent } from '../../drivers/index.js';
import type { Statement } from 'better-sqlite3';
import { withRelaxedSync, type Db } from '../store/db.js';
import { DEFAULT_TIME_ZONE } from '../counter/office-clock.js';

export interface PendingJob {
  jobId: string;
  ticket: TicketContent;
  /** How often its bytes went out before (a crash, a fault mid-ticket, no confirmation). */
  sends: number;
}

export interface FailedJob {
  jobId: string;
  number: string;
  reason: string;
  at: string;
}

function serialize(t: TicketContent): string {
  return JSON.stringify({ ...t, issuedAt: t.issuedAt.toISOString() });
}

/** `timeZone`: for jobs queued by a version whose tickets did not carry the office's zone. */
function deserialize(text: string, timeZone: string): TicketContent {
  const raw = JSON.parse(text) as Omit<TicketContent, 'timeZone'> & { issuedAt: string; timeZone?: string };
  return { ...raw, timeZone: raw.timeZone ?? timeZone, issuedAt: new Date(raw.issuedAt) };
}

/**
 * Durability of the state changes: `insert` commits with the scan that issued the ticket, and
 * `recordSend` (before any byte goes out) waits for the disk. The others commit with
 * synchronous = NORMAL (withRelaxedSync): markSending is made durable by the recordSend right after
 * it, and losing `printed` to a power cut only means the ticket prints again after it, marked as a
 * reprint because its send was recorded. Each saves an fsync that would block the event loop, and
 * so the next scan, for a few milliseconds.
 */
export class PrintJobStore {
  /** Each statement prepared once, on first use (a status command may never need most of them). */
  private readonly statements = new Map<string, Statement<unknown[], unknown>>();

  constructor(
    private readonly db: Db,
    /** The office's time zone (OfficeClock): jobs queued without one print in it. */
    private readonly timeZone = DEFAULT_TIME_ZONE,
  ) {}

  /** False when the job id is known already. */
  insert(jobId: string, ticket: TicketContent, now: Date): boolean {
    return (
      this.sql("INSERT INTO print_jobs (job_id, ticket, state, created_at) VALUES (?, ?, 'queued', ?) ON CONFLICT (job_id) DO NOTHING")
        .run(jobId, serialize(ticket), now.toISOString()).changes === 1
    );
  }

  state(jobId: string): 'queued' | 'printed' | 'failed' | null {
    const row = this.sql<[string], { state: string }>('SELECT state FROM print_jobs WHERE job_id = ?').get(jobId);
    if (!row) return null;
    return row.state === 'printed' || row.state === 'failed' ? row.state : 'queued';
  }

  pending(): number {
    return this.sql<[], { n: number }>("SELECT count(*) AS n FROM print_jobs WHERE state IN ('queued', 'sending')").get()!.n;
  }

  next(): PendingJob | undefined {
    const row = this.sql<[], { job_id: string; ticket: string; sends: number }>("SELECT job_id, ticket, sends FROM print_jobs WHERE state = 'queued' ORDER BY seq LIMIT 1").get();
    return row && { jobId: row.job_id, ticket: deserialize(row.ticket, this.timeZone), sends: row.sends };
  }

  /** After a crash: a job caught mid-send goes back in line (its `sends` says whether bytes went out). */
  recoverInterrupted(): void {
    this.sql("UPDATE print_jobs SET state = 'queued' WHERE state = 'sending'").run();
  }

  markSending(jobId: string): void {
    withRelaxedSync(this.db, () => this.sql("UPDATE print_jobs SET state = 'sending', attempts = attempts + 1 WHERE job_id = ? AND state = 'queued'").run(jobId));
  }

  /** Recorded before the first byte goes out: whatever happens next, a resend knows it is one. */
  recordSend(jobId: string): void {
    this.sql("UPDATE print_jobs SET sends = sends + 1 WHERE job_id = ? AND state = 'sending'").run(jobId);
  }

  requeue(jobId: string, error: string): void {
    this.sql("UPDATE print_jobs SET state = 'queued', last_error = ? WHERE job_id = ? AND state = 'sending'").run(error, jobId);
  }

  printed(jobId: string, confirmedBy: 'printer' | 'status', now: Date): void {
    withRelaxedSync(this.db, () => this.sql("UPDATE print_jobs SET state = 'printed', printed_at = ?, confirmed_by = ?, last_error = NULL WHERE job_id = ? AND state = 'sending'")
      .run(now.toISOString(), confirmedBy, jobId));
  }

  /** Set aside for good: it is not printed again, and staff are told. */
  fail(jobId: string, reason: string, now: Date): void {
    this.sql("UPDATE print_jobs SET state = 'failed', failed_at = ?, last_error = ? WHERE job_id = ? AND state IN ('queued', 'sending')").run(now.toISOString(), reason, jobId);
  }

  failed(limit = 10): FailedJob[] {
    return this.sql<[number], { job_id: string; ticket: string; last_error: string | null; failed_at: string }>(
        "SELECT job_id, ticket, last_error, failed_at FROM print_jobs WHERE state = 'failed' ORDER BY failed_at DESC, seq DESC LIMIT ?",
      )
      .all(limit)
      .map((r) => ({ jobId: r.job_id, number: (JSON.parse(r.ticket) as { number: string }).number, reason: r.last_error ?? '', at: r.failed_at }));
  }

  /** True: the printer confirms; false: it was seen not to; null: not known yet. */
  confirms(target: string): boolean | null {
    const row = this.sql<[string], { confirms: number }>('SELECT confirms FROM printer_confirmation WHERE target = ?').get(target);
    return row ? row.confirms === 1 : null;
  }

  /** Written only when it changes: most tickets confirm what is known already. */
  learnConfirms(target: string, confirms: boolean, now: Date): void {
    if (this.confirms(target) === confirms) return;
    this.sql('INSERT INTO printer_confirmation (target, confirms, learned_at) VALUES (?, ?, ?) ON CONFLICT (target) DO UPDATE SET confirms = excluded.confirms, learned_at = excluded.learned_at')
      .run(target, confirms ? 1 : 0, now.toISOString());
  }

  private sql<P extends unknown[] = unknown[], R = unknown>(text: string): Statement<P, R> {
    let statement = this.statements.get(text);
    if (!statement) this.statements.set(text, (statement = this.db.prepare(text)));
    return statement as unknown as Statement<P, R>;
  }
}
