// Staff actions at the counter (daemon/staff/README.md): each is idempotent on its client id, runs in
// one transaction with its audit row and outbox event, and answers { ok, … } or { ok: false, error }
// with the reason in words. Moving tickets along is in queue-actions.ts (`queue`).
import { randomUUID } from 'node:crypto';
import type { ActionAck } from '../../protocol/events.js';
import type { VerdictApplication } from '../../protocol/verdict.js';
import { maskCode, maskName } from '../audit/mask.js';
import type { DaemonContext } from '../context.js';
import { checkHandover, type TicketCode } from '../core/handover-check.js';
import { toVerdictApplication, verifyCode } from '../core/verify.js';
import { ActionRunner, fail, type Actor } from './action-runner.js';
import { resolveConflictHere } from './conflicts.js';
import { ActionResults } from './idempotency.js';
import { LocalChanges } from './local-changes.js';
import { QueueActions } from './queue-actions.js';
import { positionOnPaper, ticketContent } from './ticket-content.js';
import { settleQueue } from './ticket-settler.js';
import type { TicketRow } from './tickets.js';

export type { Actor } from './action-runner.js';

/**
 * Where a handover of an item on a ticket goes when the queue is the office's (daemon/office/):
 * owed to the office log, in the handover's transaction, instead of changing this station's queue.
 */
export interface HandoverSink {
  handedOver(ticket: TicketRow, receiptNumber: string, actionId: string, now: Date): void;
}

export class StaffActions {
  readonly results: ActionResults;
  readonly runner: ActionRunner;
  readonly queue: QueueActions;
  private readonly local: LocalChanges;

  /** Set by the composition root when the queue is the office's. */
  officeHandovers: HandoverSink | null = null;

  constructor(private readonly ctx: DaemonContext) {
    this.results = new ActionResults(ctx.cache.db);
    this.runner = new ActionRunner(ctx, this.results);
    this.queue = new QueueActions(ctx, this.runner);
    this.local = new LocalChanges(ctx.cache.db);
  }

  /** Hand one item over: what matters where items leave the building is checked again (core/handover-check.ts). */
  handover(actor: Actor, id: string, receiptNumber: string, ticketId?: string): ActionAck {
    const request = { id, kind: 'handover', payload: { receiptNumber, ticketId: ticketId ?? null }, facts: { receipt: this.ctx.audit.receipt(receiptNumber), ticketId: ticketId ?? null } };
    return this.runner.run(actor, request, () => {
      const { cache, tickets, config, audit, outbox } = this.ctx;
      const now = this.ctx.now();
      const ticket = ticketId ? tickets.get(ticketId) : tickets.holding(receiptNumber, now);
      if (ticketId && (!ticket || !tickets.items(ticketId).some((i) => i.receiptNumber === receiptNumber))) {
        return fail('NOT_ON_TICKET', 'That ticket does not hold this application: open the ticket that holds it, or scan the person’s code.');
      }
      if (ticket?.status === 'cancelled') {
        return fail('CONFLICT', `Ticket ${ticket.number} was cancelled${ticket.cancel_reason ? ` (${ticket.cancel_reason})` : ''}: scan the person’s code to hand over without it.`);
      }
      const code = ticket ? codeOf(ticket) : null;
      const check = checkHandover({
        office: config.office,
        now,
        receiptNumber,
        application: cache.view.application(receiptNumber),
        code,
        receiver: ticket?.receiver_id ? cache.view.receiver(ticket.receiver_id) : undefined,
        key: ticket?.code_kid ? cache.view.key(ticket.code_kid) : undefined,
      });
      if (!check.ok) return fail(check.code, check.message);

      const eventId = randomUUID();
      this.local.recordPickup({ receiptNumber, ticketId: ticket?.id ?? null, staffId: actor.staffId, deviceId: actor.deviceId, at: now, eventId });
      cache.local.markCollected(receiptNumber);
      if (ticket && this.officeHandovers) this.officeHandovers.handedOver(ticket, receiptNumber, id, now);
      else if (ticket) tickets.handOver(ticket.id, receiptNumber, now);
      audit.append({ type: 'handover', deviceId: actor.deviceId, staffId: actor.staffId, at: now, data: { receipt: audit.receipt(receiptNumber), ticketId: ticket?.id ?? null, actionId: id } });
      if (!this.officeHandovers) settleQueue(this.ctx, now); // another ticket that held only this item leaves the queue now
      outbox.add(
        { id: eventId, type: 'pickup', at: now, data: { receiptNumber, office: config.office, ticketId: ticket?.id ?? null, staffId: actor.staffId, deviceId: actor.deviceId, ...codeForHub(code) } },
        now,
      );
      return { ok: true };
    });
  }

  registerReceiver(actor: Actor, id: string, text: string): ActionAck<{ receiver: { id: string; name: string } }> {
    return this.runner.run(actor, { id, kind: 'register-receiver', payload: { text }, facts: { code: maskCode(text) } }, () => {
      const checked = this.acceptedCode(text, 'REG');
      if (!checked.ok) return checked;
      const { payload } = checked;
      if (payload.typ !== 'REG') return fail('WRONG_CODE', 'This is not a receiver registration code.');
      const now = this.ctx.now();
      const passwordVersion = this.ctx.cache.view.receiver(payload.rid)?.passwordVersion ?? 0;
      this.ctx.cache.local.activateReceiver(payload.rid, payload.name, payload.bid, passwordVersion);
      const eventId = randomUUID();
      this.local.rememberReceiverChange({ receiverId: payload.rid, name: payload.name, batchUserId: payload.bid, passwordVersion, registered: true, at: now, eventId });
      this.ctx.audit.append({ type: 'registration', deviceId: actor.deviceId, staffId: actor.staffId, at: now, data: { receiverId: payload.rid, name: maskName(payload.name), jti: payload.jti } });
      this.ctx.outbox.add({ id: eventId, type: 'registration', at: now, data: { receiverId: payload.rid, name: payload.name, batchUserId: payload.bid, jti: payload.jti, staffId: actor.staffId } }, now);
      return { ok: true, receiver: { id: payload.rid, name: payload.name } };
    });
  }

  applyPasswordChange(actor: Actor, id: string, text: string): ActionAck<{ receiver: { id: string; name: string } }> {
    return this.runner.run(actor, { id, kind: 'apply-password-change', payload: { text }, facts: { code: maskCode(text) } }, () => {
      const checked = this.acceptedCode(text, 'PWD');
      if (!checked.ok) return checked;
      const { payload } = checked;
      if (payload.typ !== 'PWD') return fail('WRONG_CODE', 'This is not a password change code.');
      const now = this.ctx.now();
      const receiver = this.ctx.cache.view.receiver(payload.rid)!; // accepted ⇒ known and active
      this.ctx.cache.local.setPasswordVersion(payload.rid, payload.pwv);
      const eventId = randomUUID();
      this.local.rememberReceiverChange({ receiverId: payload.rid, name: receiver.name, batchUserId: receiver.batchUserId, passwordVersion: payload.pwv, registered: false, at: now, eventId });
      this.ctx.audit.append({ type: 'password-change', deviceId: actor.deviceId, staffId: actor.staffId, at: now, data: { receiverId: payload.rid, passwordVersion: payload.pwv, jti: payload.jti } });
      this.ctx.outbox.add({ id: eventId, type: 'password-change', at: now, data: { receiverId: payload.rid, passwordVersion: payload.pwv, jti: payload.jti, staffId: actor.staffId } }, now);
      return { ok: true, receiver: { id: receiver.id, name: receiver.name } };
    });
  }

  reprint(actor: Actor, id: string, ticketId: string): ActionAck {
    return this.runner.run(actor, { id, kind: 'reprint', payload: { ticketId }, facts: { ticketId } }, () => this.printAgain(actor, ticketId, `reprint:${id}`));
  }

  /**
   * Queue a reprint of a ticket, saying where it stands now (as the rescan's screen does); the job id
   * makes each request print once. Call in a transaction.
   */
  printAgain(actor: { deviceId: string; staffId?: string }, ticketId: string, jobSuffix: string): ActionAck {
    const row = this.ctx.tickets.get(ticketId);
    if (!row) return fail('NOT_FOUND', 'There is no such ticket.');
    if (row.status === 'done' || row.status === 'cancelled') return fail('CONFLICT', `Ticket ${row.number} is ${row.status}: there is nothing to reprint.`);
    if (!this.ctx.printQueue) return fail('PRINTER_UNAVAILABLE', 'No printer is configured at this kiosk.');
    const now = this.ctx.now();
    const paper = positionOnPaper(this.ctx.tickets.position(row, now));
    this.ctx.printQueue.enqueue(`${row.id}:${jobSuffix}`, ticketContent(this.ctx, row, this.ctx.tickets.items(row.id).length, paper.queue, ['再発行 / REPRINT', ...paper.lines]));
    this.ctx.audit.append({ type: 'reprint', deviceId: actor.deviceId, ...(actor.staffId ? { staffId: actor.staffId } : {}), at: now, data: { ticketId: row.id, number: row.number } });
    if (actor.staffId) this.runner.reportUpstream('reprint', { staffId: actor.staffId, deviceId: actor.deviceId }, now, { ticketId: row.id, number: row.number });
    return { ok: true };
  }

  lookup(actor: Actor, id: string, receiptNumber: string, reason: string): { application: (VerdictApplication & { status: string; office: string }) | null } {
    const receipt = this.ctx.audit.receipt(receiptNumber);
    return this.runner.run(actor, { id, kind: 'lookup', payload: { receiptNumber, reason }, facts: { receipt, reason } }, () => {
      const app = this.ctx.cache.view.application(receiptNumber);
      this.ctx.audit.append({ type: 'lookup', deviceId: actor.deviceId, staffId: actor.staffId, at: this.ctx.now(), data: { receipt, reason, found: !!app } });
      this.runner.reportUpstream('lookup', actor, this.ctx.now(), { receiptNumber, reason, found: !!app });
      return { application: app ? { ...toVerdictApplication(app), status: app.status, office: app.office } : null };
    });
  }

  resolveConflict(actor: Actor, id: string, conflictId: string, note: string): ActionAck {
    return this.runner.run(actor, { id, kind: 'resolve-conflict', payload: { conflictId, note }, facts: { conflictId } }, () => {
      const now = this.ctx.now();
      const conflict = resolveConflictHere(this.ctx, conflictId, actor.staffId, note, now);
      if ('ok' in conflict) return conflict;
      this.ctx.audit.append({ type: 'staff-action', deviceId: actor.deviceId, staffId: actor.staffId, at: now, data: { kind: 'resolve-conflict', conflictId, note } });
      this.runner.reportUpstream('resolve-conflict', actor, now, { conflictId, note, conflict });
      return { ok: true };
    });
  }

  /** Re-verify a REG/PWD code as a counter scan; only an accepted one may be applied. */
  private acceptedCode(text: string, type: 'REG' | 'PWD') {
    const { verdict, payload } = verifyCode(text, {
      office: this.ctx.config.office,
      mode: 'counter',
      now: this.ctx.now(),
      maxCacheAgeSeconds: this.ctx.config.maxCacheAgeSeconds,
      data: this.ctx.cache.view,
    });
    if (verdict.codeType !== type) return fail('WRONG_CODE', type === 'REG' ? 'This is not a receiver registration code.' : 'This is not a password change code.');
    if (verdict.outcome !== 'accepted') return fail(verdict.reason ?? 'REJECTED', verdict.message.en);
    if (!payload) return fail('MALFORMED', 'The code could not be read.'); // an accepted verdict always has its payload
    return { ok: true as const, payload };
  }
}

/** The code a ticket was issued for, as the handover re-checks it. */
function codeOf(t: TicketRow): TicketCode {
  return { number: t.number, codeType: t.code_type, kid: t.code_kid, receiverId: t.receiver_id, passwordVersion: t.code_pwv };
}

/** What the hub re-checks of the code behind a pickup (it judges AUTH pickups by receiver and password version). */
function codeForHub(code: TicketCode | null): Record<string, unknown> {
  if (!code) return {};
  if (code.codeType === 'APP') return { codeType: 'APP' };
  return code.receiverId !== null && code.passwordVersion !== null ? { codeType: 'AUTH', receiverId: code.receiverId, passwordVersion: code.passwordVersion } : {};
}
