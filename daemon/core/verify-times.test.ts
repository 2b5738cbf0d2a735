// The times in the decision table: `exp` as JWT reads it (invalid from that second on), and a key
// revocation that takes effect at its `revokedAt`, not before.
import { describe, expect, it } from 'vitest';
import { generateSigningKey, mintKq1 } from '../../sync/issuing/kq1-issuer.js';
import type { Application, TrustedKey, VerificationData } from './model.js';
import { Ed25519PublicKey } from './signature.js';
import { verify } from './verify.js';

const key = generateSigningKey('k1');
const now = new Date('2027-01-01T00:00:00Z');
const nowS = now.getTime() / 1000;
const ready: Application = {
  receiptNumber: '20270101430100001', office: '4301', procedureType: 'RENEW', channel: 'screen', receiverId: null, status: 'ready',
  feesPaid: true, individualCodeIssued: false, deliverables: ['certificate'], vehicle: {}, reviewCompletedAt: null,
};
const trusted = (revokedAt: number | null): TrustedKey => ({ kid: 'k1', alg: 'Ed25519', publicKey: Ed25519PublicKey.fromBase64(key.publicKeyBase64), notBefore: null, notAfter: null, revokedAt });
const data = (revokedAt: number | null = null): VerificationData => ({
  asOf: () => now,
  key: (kid) => (kid === 'k1' ? trusted(revokedAt) : undefined),
  application: (r) => (r === ready.receiptNumber ? ready : undefined),
  receiver: () => undefined,
  batchApplicationsFor: () => [],
  officeName: () => null,
});
const code = (extra: Record<string, unknown> = {}) => mintKq1({ typ: 'APP', iat: nowS - 600, jti: 'a', rcpt: ready.receiptNumber, off: '4301', proc: 'RENEW', ...extra }, key);
const judge = (text: string, revokedAt: number | null = null, at = now) => verify(text, { office: '4301', mode: 'kiosk', now: at, maxCacheAgeSeconds: 86_400, data: data(revokedAt) });

describe('exp: invalid from that second on', () => {
  it('exp one second ahead is still good; exp equal to now has expired; one millisecond before exp is good', () => {
    expect(judge(code({ exp: nowS + 1 })).outcome).toBe('accepted');
    expect([judge(code({ exp: nowS })).outcome, judge(code({ exp: nowS })).reason]).toEqual(['rejected', 'CODE_EXPIRED']);
    expect(judge(code({ exp: nowS }), null, new Date(now.getTime() - 1)).outcome).toBe('accepted');
  });
});

describe('revocation takes effect at revokedAt', () => {
  it('a revocation announced for later leaves codes good until then, and kills them from that second', () => {
    expect(judge(code(), nowS + 60).outcome).toBe('accepted');
    expect(judge(code(), nowS).reason).toBe('KEY_NOT_VALID');
    expect(judge(code(), nowS - 60).reason).toBe('KEY_NOT_VALID');
  });
});
