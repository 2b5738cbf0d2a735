// Whatever a scanner produces, `verify` answers with a verdict and never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REASONS, type Verdict } from '../../protocol/verdict.js';
import { generateSigningKey, mintKq1 } from '../../sync/issuing/kq1-issuer.js';
import type { Application, VerificationData } from './model.js';
import { Ed25519PublicKey } from './signature.js';
import { verify } from './verify.js';

const key = generateSigningKey('k1');
const now = new Date('2027-01-01T00:00:00Z');
const iat = now.getTime() / 1000 - 60;
const ready: Application = {
  receiptNumber: '1', office: '4301', procedureType: 'RENEW', channel: 'screen', receiverId: null, status: 'ready',
  feesPaid: true, individualCodeIssued: false, deliverables: ['certificate'], vehicle: {}, reviewCompletedAt: null,
};
/** A small in-memory cache: the property is about the decoder and the table, not the store. */
const data: VerificationData = {
  asOf: () => now,
  key: (kid) => (kid === 'k1' ? { kid, alg: 'Ed25519', publicKey: Ed25519PublicKey.fromBase64(key.publicKeyBase64), notBefore: null, notAfter: null, revokedAt: null } : undefined),
  application: (r) => (r === '1' ? ready : undefined),
  receiver: (id) => (id === 'R1' ? { id, name: 'n', batchUserId: null, status: 'active', passwordVersion: 1 } : undefined),
  batchApplicationsFor: (rid) => (rid === 'R1' ? [{ ...ready, receiptNumber: '2', channel: 'batch', receiverId: 'R1' }] : []),
  officeName: () => ({ ja: '熊本', en: 'Kumamoto' }),
};
const ctx = { office: '4301', mode: 'kiosk' as const, now, maxCacheAgeSeconds: 86_400, data };

const realCodes = [
  mintKq1({ typ: 'APP', iat, jti: 'a', rcpt: '1', off: '4301', proc: 'RENEW' }, key),
  mintKq1({ typ: 'AUTH', iat, jti: 'b', rid: 'R1', proc: 'RENEW', pwv: 1 }, key),
  mintKq1({ typ: 'REG', iat, jti: 'c', rid: 'R2', name: '名前', bid: 'B' }, key),
];

function assertVerdict(text: string): Verdict {
  let v: Verdict | undefined;
  expect(() => (v = verify(text, ctx))).not.toThrow();
  expect(['accepted', 'rejected', 'refer']).toContain(v!.outcome);
  if (v!.outcome !== 'accepted') expect(REASONS).toContain(v!.reason);
  expect(v!.message.ja).toBeTruthy();
  return v!;
}

describe('verify never throws', () => {
  it('the untouched codes are accepted (so the mutations below start from good input)', () => {
    expect(realCodes.slice(0, 2).map((c) => verify(c, ctx).outcome)).toEqual(['accepted', 'accepted']);
  });

  it('random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 600 }), (s) => void assertVerdict(s)), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => void assertVerdict(s)), { numRuns: 1000 });
    fc.assert(fc.property(fc.string({ maxLength: 600 }), (s) => void assertVerdict('KQ1' + s)), { numRuns: 1000 });
  });

  it('truncated real codes are never accepted', () => {
    fc.assert(
      fc.property(fc.constantFrom(...realCodes), fc.nat(), (code, n) => {
        const cut = n % code.length;
        expect(assertVerdict(code.slice(0, cut)).outcome).not.toBe('accepted');
      }),
      { numRuns: 1500 },
    );
  });

  it('bit-flipped real codes are never accepted', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    fc.assert(
      fc.property(fc.constantFrom(...realCodes), fc.nat(), fc.integer({ min: 1, max: 31 }), (code, n, delta) => {
        const i = 3 + (n % (code.length - 3));
        const flipped = alphabet[(alphabet.indexOf(code[i]!) + delta) % 32]!;
        const mutated = code.slice(0, i) + flipped + code.slice(i + 1);
        const v = assertVerdict(mutated);
        // Flipping the last char's unused low bits can leave the bytes unchanged; otherwise it must fail.
        if (v.outcome === 'accepted') expect(Buffer.from(mutated.slice(-1)).equals(Buffer.from(code.slice(-1)))).toBe(false);
      }),
      { numRuns: 1500 },
    );
  });

  it('case-flipped real codes give the same verdict', () => {
    fc.assert(
      fc.property(fc.constantFrom(...realCodes), fc.array(fc.boolean(), { minLength: 400, maxLength: 400 }), (code, flips) => {
        const mixed = [...code].map((ch, i) => (flips[i] ? ch.toLowerCase() : ch)).join('');
        expect(assertVerdict(mixed).outcome).toBe(verify(code, ctx).outcome);
      }),
      { numRuns: 300 },
    );
  });

  it('oversized inputs are malformed', () => {
    for (const size of [4097, 10_000, 1 << 20]) {
      expect(assertVerdict('KQ1' + 'A'.repeat(size)).reason).toBe('MALFORMED');
    }
    expect(assertVerdict(realCodes[0] + 'A'.repeat(5000)).reason).toBe('MALFORMED');
  });
});
