// The handover's re-check, one fact at a time: each refusal names what changed and what staff do next.
import { describe, expect, it } from 'vitest';
import { checkHandover, type HandoverFacts } from './handover-check.js';
import type { Application, Receiver, TrustedKey } from './model.js';

const now = new Date('2027-01-01T00:00:00Z');
const nowS = now.getTime() / 1000;
const app: Application = {
  receiptNumber: '20270101430190001', office: '4301', procedureType: 'NEW', channel: 'batch', receiverId: 'R1', status: 'ready',
  feesPaid: true, individualCodeIssued: false, deliverables: ['certificate'], vehicle: {}, reviewCompletedAt: null,
};
const receiver: Receiver = { id: 'R1', name: 'みなと自動車', batchUserId: 'B1', status: 'active', passwordVersion: 2 };
const key: TrustedKey = { kid: 'k1', alg: 'Ed25519', publicKey: null, notBefore: null, notAfter: null, revokedAt: null };
const auth: HandoverFacts = {
  office: '4301', now, receiptNumber: app.receiptNumber, application: app, receiver, key,
  code: { number: 'A-007', codeType: 'AUTH', kid: 'k1', receiverId: 'R1', passwordVersion: 2 },
};
const refusal = (f: Partial<HandoverFacts>) => {
  const r = checkHandover({ ...auth, ...f });
  return r.ok ? 'ok' : `${r.code}: ${r.message}`;
};

describe('checkHandover', () => {
  it('hands over when nothing changed since the ticket was issued', () => {
    expect(checkHandover(auth)).toEqual({ ok: true });
    expect(checkHandover({ ...auth, code: null, receiver: undefined, key: undefined })).toEqual({ ok: true });
  });

  it('the application: withdrawn or rejected is closed; collected, other office, not ready, unpaid', () => {
    expect(refusal({ application: { ...app, status: 'withdrawn' } })).toMatch(/^APPLICATION_CLOSED: The application …0001 was withdrawn after the ticket was issued/);
    expect(refusal({ application: { ...app, status: 'rejected' } })).toMatch(/^APPLICATION_CLOSED: .*was rejected/);
    expect(refusal({ application: { ...app, status: 'collected' } })).toMatch(/^ALREADY_COLLECTED: .*Do not hand it over again/);
    expect(refusal({ application: { ...app, office: '4302' } })).toMatch(/^WRONG_OFFICE: .*office 4302/);
    expect(refusal({ application: { ...app, status: 'correction_requested' } })).toMatch(/^NOT_READY: .*waiting for a correction/);
    expect(refusal({ application: { ...app, feesPaid: false } })).toMatch(/^FEES_UNPAID: .*must not pay twice/);
    expect(refusal({ application: undefined })).toMatch(/^UNKNOWN_APPLICATION: /);
  });

  it('the AUTH code: password changed since, receiver suspended or gone', () => {
    expect(refusal({ receiver: { ...receiver, passwordVersion: 3 } })).toMatch(/^PASSWORD_CHANGED: .*after ticket A-007 was issued.*Art\. 15\.2\(4\).*new password/);
    expect(refusal({ receiver: { ...receiver, status: 'suspended' } })).toMatch(/^RECEIVER_NOT_ACTIVE: The receiver of ticket A-007 is suspended now/);
    expect(refusal({ receiver: undefined })).toMatch(/^UNKNOWN_RECEIVER: /);
    // An APP ticket does not depend on the receiver.
    expect(refusal({ code: { ...auth.code!, codeType: 'APP', receiverId: null, passwordVersion: null }, receiver: { ...receiver, status: 'suspended' } })).toBe('ok');
  });

  it('the key: revoked from its revokedAt on, or gone from the trust list', () => {
    expect(refusal({ key: { ...key, revokedAt: nowS + 60 } })).toBe('ok');
    expect(refusal({ key: { ...key, revokedAt: nowS } })).toMatch(/^KEY_NOT_VALID: .*Ask for a freshly printed code/);
    expect(refusal({ key: undefined })).toMatch(/^KEY_NOT_VALID: /);
  });

  it('tickets issued before the code was kept on them are judged by their application', () => {
    expect(refusal({ code: { ...auth.code!, kid: null, passwordVersion: null }, key: undefined, receiver: { ...receiver, passwordVersion: 9 } })).toBe('ok');
  });
});
