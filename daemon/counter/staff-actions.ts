// Staff actions at the counter (contract.md "Staff"): each is idempotent on its client id, runs in
// one transaction with its audit row and outbox event, and answers { ok, … } or { ok: false, error }.
import { randomUUID } from 'node:crypto';
import type { ActionErrorCode } from '../../protocol/errors.js';
import type { ActionAck, TicketView } from '../../protocol/events.js';
import type { Verdict, VerdictApplication } from '../../protocol/verdict.js';
import { maskName, maskReceipt } from '../audit/mask.js';
import type { DaemonContext } from '../context.js';
import { decodeKq1, parsePayload } from '../core/kq1.js';
import { toVerdictApplication, verify } from '../core/verify.js';
import { ActionResults } from './idempotency.js';
import { LocalChanges } from './local-changes.js';
import { ticketContent } from './ticket-content.js';
import { ticketView } from './views.js';

export interface Actor {
  staffId: string;
  deviceId: string;
}

type Fail = { ok: false; error: { code: ActionErrorCode; message: string } };
const fail = (code: ActionErrorCode, message: string): Fail => ({ ok: false, error: { code, message } });

export class StaffActions {
  readonly results: ActionResults;
  private readonly local: LocalChanges;

  constructor(private readonly ctx: DaemonContext) {
    this.results = new ActionResults(ctx.cache.db);
    this.local = new LocalChanges(ctx.cache.db);
  }

  handover(actor: Actor, id: string, receiptNumber: string, ticketId?: string): ActionAck {
    return this.results.once({ id, kind: 'handover', staffId: actor.staffId, payload: { receiptNumber, ticketId: ticketId ?? null } }, () => {
      const { cache, tickets, config, audit, outbox } = this.ctx;
      const now = this.ctx.now();
      const app = cache.view.application(receiptNumber);
      if (!app) return fail('UNKNOWN_APPLICATION', `no application ${maskReceipt(receiptNumber)} in the cache`);
      if (app.office !== config.office) return fail('WRONG_OFFICE', `the application belongs to office ${app.office}`);
      if (app.status === 'collected') return fail('ALREADY_COLLECTED', 'already handed over');
      if (app.status !== 'ready') return fail('NOT_READY', `the application is ${app.status}`);
      if (!app.feesPaid) return fail('FEES_UNPAID', 'the fees are not shown as paid');
      const ticket = ticketId ? tickets.get(ticketId) : tickets.holding(receiptNumber, now);
      if (ticketId && (!ticket || !tickets.items(ticketId).some((i) => i.receiptNumber === receiptNumber))) {
        return fail('NOT_ON_TICKET', 'that ticket does not hold this application');
      }
      const eventId = randomUUID();
      this.local.recordPickup({ receiptNumber, ticketId: ticket?.id ?? null, staffId: actor.staffId, deviceId: actor.deviceId, at: now, eventId });
      cache.local.markCollected(receiptNumber);
      if (ticket) tickets.handOver(ticket.id, receiptNumber, now);
      audit.append({ type: 'handover', deviceId: actor.deviceId, staffId: actor.staffId, at: now, data: { receiptNumber, ticketId: ticket?.id ?? null, actionId: id } });
      outbox.add({ id: eventId, type: 'pickup', at: now, data: { receiptNumber, office: config.office, ticketId: ticket?.id ?? null, staffId: actor.staffId, deviceId: actor.deviceId } }, now);
      return { ok: true };
    });
  }

  registerReceiver(actor: Actor, id: string, text: string): ActionAck<{ receiver: { id: string; name: string } }> {
    return this.results.once({ id, kind: 'register-receiver', staffId: actor.staffId, payload: { text } }, () => {
      const checked = this.acceptedCode(text, 'REG');
      if (!checked.ok) return checked;
      const { payload } = checked;
      if (payload.typ !== 'REG') return fail('WRONG_CODE', 'not a registration code');
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
    return this.results.once({ id, kind: 'apply-password-change', staffId: actor.staffId, payload: { text } }, () => {
      const checked = this.acceptedCode(text, 'PWD');
      if (!checked.ok) return checked;
      const { payload } = checked;
      if (payload.typ !== 'PWD') return fail('WRONG_CODE', 'not a password change code');
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

  callNext(actor: Actor, id: string, counter: string): { ticket: TicketView | null } {
    const request = { id, kind: 'call-next', staffId: actor.staffId, payload: { counter } };
    const retry = this.results.previous<{ ticket: TicketView | null }>(request);
    if (retry) return { ticket: retry.ticket }; // answered before: the display has announced it already
    const result = this.results.once(request, () => {
      const now = this.ctx.now();
      const row = this.ctx.tickets.callNext(this.ctx.config.office, counter, now);
      if (!row) return { ticket: null };
      this.ctx.audit.append({ type: 'call', deviceId: actor.deviceId, staffId: actor.staffId, at: now, data: { ticketId: row.id, number: row.number, counter } });
      this.reportUpstream('call', actor, now, { ticketId: row.id, number: row.number, counter });
      return { ticket: ticketView(this.ctx, row), called: { number: row.number, counter, at: now.toISOString() } };
    });
    if ('called' in result && result.called) this.ctx.bus.emit('called', result.called);
    this.ctx.bus.emit('stateChanged');
    return { ticket: result.ticket };
  }

  /**
   * A ticket's QR scanned at the counter: show its items; a ticket still waiting is called to this
   * counter and announced like any call. Without a counter number nothing is called.
   */
  recall(actor: Actor, ticketId: string, counter: string | null): TicketView | null {
    const now = this.ctx.now();
    const row = this.ctx.tickets.get(ticketId);
    if (!row) return null;
    if (row.status === 'waiting' && counter) {
      this.ctx.cache.db.transaction(() => {
        this.ctx.tickets.call(row.id, counter, now);
        this.ctx.audit.append({ type: 'call', deviceId: actor.deviceId, staffId: actor.staffId, at: now, data: { ticketId: row.id, number: row.number, counter, by: 'ticket-scan' } });
        this.reportUpstream('call', actor, now, { ticketId: row.id, number: row.number, counter, by: 'ticket-scan' });
      })();
      this.ctx.bus.emit('called', { number: row.number, counter, at: now.toISOString() });
      this.ctx.bus.emit('stateChanged');
    }
    return ticketView(this.ctx, this.ctx.tickets.get(ticketId)!);
  }

  reprint(actor: Actor, id: string, ticketId: string): ActionAck {
    return this.results.once({ id, kind: 'reprint', staffId: actor.staffId, payload: { ticketId } }, () => this.printAgain(actor, ticketId, `reprint:${id}`));
  }

  /** Queue a reprint of a ticket; the job id makes each request print once. Call in a transaction. */
  printAgain(actor: { deviceId: string; staffId?: string }, ticketId: string, jobSuffix: string): ActionAck {
    const row = this.ctx.tickets.get(ticketId);
    if (!row) return fail('NOT_FOUND', 'no such ticket');
    if (!this.ctx.printQueue) return fail('PRINTER_UNAVAILABLE', 'no printer is configured');
    const now = this.ctx.now();
    const waiting = this.ctx.tickets.waiting(this.ctx.config.office, now);
    const queue = { waiting, estimatedWaitMinutes: this.ctx.tickets.estimatedWaitMinutes(this.ctx.config.office, now, waiting) };
    this.ctx.printQueue.enqueue(`${row.id}:${jobSuffix}`, ticketContent(this.ctx, row, this.ctx.tickets.items(row.id).length, queue, ['再発行 / REPRINT']));
    this.ctx.audit.append({ type: 'reprint', deviceId: actor.deviceId, ...(actor.staffId ? { staffId: actor.staffId } : {}), at: now, data: { ticketId: row.id, number: row.number } });
    if (actor.staffId) this.reportUpstream('reprint', { staffId: actor.staffId, deviceId: actor.deviceId }, now, { ticketId: row.id, number: row.number });
    return { ok: true };
  }

  lookup(actor: Actor, id: string, receiptNumber: string, reason: string): { application: (VerdictApplication & { status: string; office: string }) | null } {
    return this.results.once({ id, kind: 'lookup', staffId: actor.staffId, payload: { receiptNumber, reason } }, () => {
      const app = this.ctx.cache.view.application(receiptNumber);
      this.ctx.audit.append({ type: 'lookup', deviceId: actor.deviceId, staffId: actor.staffId, at: this.ctx.now(), data: { receiptNumber, reason, found: !!app } });
      this.reportUpstream('lookup', actor, this.ctx.now(), { receiptNumber, reason, found: !!app });
      return { application: app ? { ...toVerdictApplication(app), status: app.status, office: app.office } : null };
    });
  }

  resolveConflict(actor: Actor, id: string, conflictId: string, note: string): ActionAck {
    return this.results.once({ id, kind: 'resolve-conflict', staffId: actor.staffId, payload: { conflictId, note } }, () => {
      const resolved = this.ctx.outbox.resolveConflict(conflictId, actor.staffId, note, this.ctx.now());
      this.ctx.audit.append({ type: 'staff-action', deviceId: actor.deviceId, staffId: actor.staffId, at: this.ctx.now(), data: { kind: 'resolve-conflict', conflictId, note } });
      if (resolved) this.reportUpstream('resolve-conflict', actor, this.ctx.now(), { conflictId, note });
      return resolved ? { ok: true } : fail('ALREADY_RESOLVED', 'that conflict was already resolved');
    });
  }

  /** Re-verify a REG/PWD code as a counter scan; only an accepted one may be applied. */
  private acceptedCode(text: string, type: 'REG' | 'PWD') {
    const verdict: Verdict = verify(text, {
      office: this.ctx.config.office,
      mode: 'counter',
      now: this.ctx.now(),
      maxCacheAgeSeconds: this.ctx.config.maxCacheAgeSeconds,
      data: this.ctx.cache.view,
    });
    if (verdict.codeType !== type) return fail('WRONG_CODE', `not a ${type} code`);
    if (verdict.outcome !== 'accepted') return fail(verdict.reason ?? 'REJECTED', verdict.message.en);
    const decoded = decodeKq1(text);
    const parsed = decoded.ok ? parsePayload(decoded.code.payload) : null;
    if (!parsed?.ok) return fail('MALFORMED', 'code could not be decoded');
    return { ok: true as const, payload: parsed.payload };
  }

  /** Staff actions without an effect of their own on master data still go upstream, in the action's transaction. */
  private reportUpstream(kind: string, actor: Actor, now: Date, data: Record<string, unknown>): void {
    this.ctx.outbox.add({ id: randomUUID(), type: 'staff-action', at: now, data: { kind, staffId: actor.staffId, deviceId: actor.deviceId, ...data } }, now);
  }
}
