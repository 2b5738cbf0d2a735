// A kiosk's ticket when the queue is the office's: everything about the scan is decided here from
// this station's cache (the verdict, open hours, a full queue), then the number is drawn by the
// office log (an `issue` command, applied on every station). When the office log cannot be
// reached within a few seconds the kiosk prints a "go to the counter" slip with no number, rather
// than number on its own and collide later.
import { randomUUID } from 'node:crypto';
import type { Verdict } from '../../protocol/verdict.js';
import type { DaemonContext } from '../context.js';
import type { Payload } from '../core/kq1.js';
import { isKioskError } from '../errors.js';
import type { SelfServiceTickets, TicketOutcome } from '../scan/self-service.js';
import { retryWhileBusy } from '../store/db.js';
import type { OfficeQueue } from './office-queue.js';
import type { PendingCommands } from './pending-commands.js';

/** How long a person at the kiosk waits for a number before getting a slip instead. */
export const KIOSK_QUEUE_DEADLINE_MS = 3_000;

const SLIP_MESSAGE = {
  ja: '番号札を発行できませんでした。この用紙を持って窓口へお越しください。',
  en: 'No number could be issued just now: please take this slip to the counter.',
};

export class OfficeTickets {
  constructor(
    private readonly ctx: DaemonContext,
    private readonly selfService: SelfServiceTickets,
    private readonly office: OfficeQueue,
    private readonly pending: PendingCommands,
  ) {}

  async ticketFor(verdict: Verdict, code: Payload, deviceId: string, now: Date): Promise<Partial<TicketOutcome>> {
    const checked = this.selfService.before(verdict, now);
    if ('outcome' in checked) return checked.outcome;
    const { now: _now, office: _office, ...fields } = this.selfService.newTicket(verdict, code, deviceId, now);
    const issueId = randomUUID();
    let applied;
    try {
      applied = await this.office.propose({ type: 'issue', id: issueId, ...fields }, KIOSK_QUEUE_DEADLINE_MS);
    } catch (e) {
      if (!isKioskError(e, 'QUEUE_UNAVAILABLE')) throw e;
      // The issue may still be in the holder's log, to be committed once a majority is back: owe the
      // log its withdrawal, so the person with the slip never also has a number called for nobody.
      this.pending.add({ type: 'withdraw', id: `withdraw:${issueId}`, issueId }, now);
      return this.slip(verdict, deviceId, now);
    }
    if (applied.type !== 'issue') throw new Error(`the office log answered an issue with ${applied.type}`);
    const row = this.ctx.tickets.get(applied.ticketId)!;
    if (applied.repeat) return this.selfService.repeat(row, now);
    return retryWhileBusy(() => this.ctx.cache.db.transaction(() => this.selfService.issued(row, verdict, checked.before, checked.alsoOn, deviceId, now))());
  }

  /** The verdict stands; no number: a slip that sends the person to the counter. */
  private slip(verdict: Verdict, deviceId: string, now: Date): Partial<TicketOutcome> {
    const jobId = `slip:${randomUUID()}`;
    const name = this.ctx.cache.view.officeName(this.ctx.config.office) ?? { ja: this.ctx.config.office, en: this.ctx.config.office };
    this.ctx.logger.warn({ deviceId }, 'office queue unreachable: a go-to-the-counter slip instead of a number');
    this.ctx.printQueue?.enqueue(jobId, {
      slip: true,
      ticketId: jobId,
      number: '',
      office: { code: this.ctx.config.office, name },
      issuedAt: now,
      timeZone: this.ctx.clock.timeZone,
      itemCount: verdict.applications.length,
      receiverNameMasked: null,
      waiting: 0,
      estimatedWaitMinutes: null,
      lines: [SLIP_MESSAGE.ja, SLIP_MESSAGE.en],
    });
    return { ticket: null, noTicket: { reason: 'QUEUE_UNAVAILABLE', message: SLIP_MESSAGE } };
  }
}
