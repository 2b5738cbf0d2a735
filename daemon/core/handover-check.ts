// What a handover re-checks (daemon/README.md "Handover"): the counter is where items leave the
// building, so what was true when the ticket was issued is checked again — the application, and
// for a ticket the code it was issued for (its key, and for AUTH its receiver and password
// version). Pure: the caller reads the facts; this decides and says, in words, what staff do next.
import type { Reason } from '../../protocol/verdict.js';
import type { Application, Receiver, TrustedKey } from './model.js';
import { isRevoked } from './verify.js';

/** The code a ticket was issued for, as stored on the ticket. Nulls: a ticket issued before these were kept. */
export interface TicketCode {
  number: string;
  codeType: 'APP' | 'AUTH';
  kid: string | null;
  receiverId: string | null;
  passwordVersion: number | null;
}

export interface HandoverFacts {
  office: string;
  now: Date;
  receiptNumber: string;
  application: Application | undefined;
  /** Null for a handover without a ticket: the counter scan verified the code a moment ago. */
  code: TicketCode | null;
  /** The ticket's receiver (AUTH) as the cache holds it now. */
  receiver: Receiver | undefined;
  /** The ticket code's signing key as the trust list holds it now. */
  key: TrustedKey | undefined;
}

export type HandoverCheck = { ok: true } | { ok: false; code: Reason; message: string };

export function checkHandover(f: HandoverFacts): HandoverCheck {
  const item = `application …${f.receiptNumber.slice(-4)}`;
  const refuse = (code: Reason, message: string): HandoverCheck => ({ ok: false, code, message });
  const app = f.application;
  if (!app) return refuse('UNKNOWN_APPLICATION', `There is no ${item} in this kiosk's data. Check the receipt number; nothing can be handed over for it here.`);
  if (app.office !== f.office) return refuse('WRONG_OFFICE', `The ${item} belongs to office ${app.office}: its deliverables are not at this office.`);
  if (app.status === 'collected') {
    return refuse('ALREADY_COLLECTED', `The ${item} has already been handed over (at this counter or elsewhere). Do not hand it over again.`);
  }
  if (app.status === 'withdrawn' || app.status === 'rejected') {
    return refuse(
      'APPLICATION_CLOSED',
      `The ${item} was ${app.status} after the ticket was issued: nothing may be handed over for it. Tell the person; the ticket's other items can still be handed over.`,
    );
  }

  const code = f.code;
  if (code) {
    const ticket = `ticket ${code.number}`;
    const freshCode = 'Ask for a freshly printed code and scan it at the counter instead of the ticket.';
    if (code.kid !== null && (!f.key || isRevoked(f.key, f.now))) {
      return refuse('KEY_NOT_VALID', `The code ${ticket} was issued for was signed with a key that has been withdrawn since, so the code is no longer valid. ${freshCode}`);
    }
    if (code.codeType === 'AUTH' && code.receiverId !== null) {
      const r = f.receiver;
      if (!r) return refuse('UNKNOWN_RECEIVER', `The receiver of ${ticket} is no longer registered. Do not hand over; the person should ask the receiver's administrator.`);
      if (r.status !== 'active') {
        return refuse('RECEIVER_NOT_ACTIVE', `The receiver of ${ticket} is ${r.status} now, so their codes cannot be used to collect. Do not hand over; the person should ask the receiver's administrator.`);
      }
      if (code.passwordVersion !== null && code.passwordVersion < r.passwordVersion) {
        return refuse(
          'PASSWORD_CHANGED',
          `The receiver's password was changed after ${ticket} was issued: codes printed with the old password can no longer be used (Art. 15.2(4)). Ask for a code printed with the new password and scan it.`,
        );
      }
    }
  }

  if (app.status !== 'ready') return refuse('NOT_READY', `The ${item} is ${app.status === 'reviewing' ? 'still under review' : 'waiting for a correction'}: it is not ready to hand over.`);
  if (!app.feesPaid) {
    return refuse('FEES_UNPAID', `The fees for the ${item} are not shown as paid. A recent payment can take time to appear: the person must not pay twice; ask them to check with the payment desk.`);
  }
  return { ok: true };
}

/** A closed application: withdrawn or rejected after it was filed. Its item stays on a ticket, marked closed. */
export function isClosed(status: Application['status']): boolean {
  return status === 'withdrawn' || status === 'rejected';
}
