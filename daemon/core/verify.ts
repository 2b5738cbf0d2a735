// The decision table of docs/decision-table.md: scanned text → verdict. Pure: reads the cache through
// VerificationData, changes nothing, never throws on any input.
import type { CodeType, DeviceMode, LocalizedText, Reason, Verdict, VerdictApplication } from '../../protocol/verdict.js';
import { acceptanceMessage, rejectionMessage } from './messages.js';
import type { Application, TrustedKey, VerificationData } from './model.js';
import { decodeKq1, parsePayload, type AppPayload, type AuthPayload, type Payload, type PwdPayload, type RegPayload } from './kq1.js';

/** A code issued up to this far in the future still counts (clock skew between portal and kiosk). */
export const ALLOWED_FUTURE_SKEW_SECONDS = 300;
export const DEFAULT_MAX_CACHE_AGE_SECONDS = 86_400;

export interface VerifyContext {
  office: string;
  mode: DeviceMode;
  now: Date;
  maxCacheAgeSeconds: number;
  data: VerificationData;
}

type Basis = Verdict['basis'];

export interface DataAge {
  asOf: string | null;
  ageSeconds: number | null;
  /** Too old to judge by (or never loaded): verdicts become refer CACHE_STALE. */
  stale: boolean;
}

/** How old the cached data is: the one computation verify, the screens, /metrics and `kiosk status` share. */
export function dataAge(asOf: Date | null, now: Date, maxAgeSeconds: number): DataAge {
  if (!asOf) return { asOf: null, ageSeconds: null, stale: true };
  const ageSeconds = Math.max(0, Math.floor((now.getTime() - asOf.getTime()) / 1000));
  return { asOf: asOf.toISOString(), ageSeconds, stale: ageSeconds > maxAgeSeconds };
}

/**
 * A revocation takes effect at `revokedAt` and then kills every code the key signed, whenever it was
 * issued (docs/decision-table.md: "key revoked (any time)"). A revocation published ahead of time does nothing yet.
 */
export function isRevoked(key: Pick<TrustedKey, 'revokedAt'>, now: Date): boolean {
  return key.revokedAt !== null && key.revokedAt * 1000 <= now.getTime();
}

/** The key was within its validity window when it signed a code issued at `iat` (Unix seconds). */
function issuedWithin(key: Pick<TrustedKey, 'notBefore' | 'notAfter'>, iat: number): boolean {
  return (key.notBefore === null || iat >= key.notBefore) && (key.notAfter === null || iat <= key.notAfter);
}

/** `exp` as JWT reads it (RFC 7519 4.1.4): the code is invalid from that second on, so exp = now has expired. */
export function isExpired(exp: number | undefined, now: Date): boolean {
  return exp !== undefined && now.getTime() >= exp * 1000;
}

export function verify(text: string, ctx: VerifyContext): Verdict {
  return judge(text, ctx);
}

/** The verdict and, when the code decoded and parsed, its payload: the scan path needs both and should not decode twice. */
export function verifyCode(text: string, ctx: VerifyContext): { verdict: Verdict; payload: Payload | null } {
  let payload: Payload | null = null;
  const verdict = judge(text, ctx, (p) => (payload = p));
  return { verdict, payload };
}

function judge(text: string, ctx: VerifyContext, onPayload?: (payload: Payload) => void): Verdict {
  const age = dataAge(ctx.data.asOf(), ctx.now, ctx.maxCacheAgeSeconds);
  const basis: Basis = { asOf: age.asOf, ageSeconds: age.ageSeconds };
  const decoded = decodeKq1(text);
  if (!decoded.ok) return reject('MALFORMED', null, null, basis, ctx);
  const parsed = parsePayload(decoded.code.payload);
  if (!parsed.ok) return reject(parsed.reason, parsed.codeType, jtiOf(decoded.code.payload), basis, ctx);
  const payload = parsed.payload;
  onPayload?.(payload);
  const reject1 = (reason: Reason, extra?: Partial<Verdict>) => reject(reason, payload.typ, payload.jti, basis, ctx, extra);

  // 3. Trust: key known, signature good, key valid when the code was issued and not revoked now.
  const key = ctx.data.key(payload.kid);
  if (!key) return reject1('UNKNOWN_KEY');
  if (!key.publicKey || !key.publicKey.verify(decoded.code.signedBytes, decoded.code.signature)) return reject1('BAD_SIGNATURE');
  if (key.alg !== 'Ed25519' || isRevoked(key, ctx.now) || !issuedWithin(key, payload.iat)) return reject1('KEY_NOT_VALID');

  // 4. The code's own validity window.
  const nowMs = ctx.now.getTime();
  if (isExpired(payload.exp, ctx.now)) return reject1('CODE_EXPIRED');
  if (payload.iat * 1000 > nowMs + ALLOWED_FUTURE_SKEW_SECONDS * 1000) return reject1('CODE_NOT_YET_VALID');

  // 5. Data freshness.
  if (age.stale) return reject1('CACHE_STALE');

  // 6. By type.
  const decide = new TypeDecision(payload, ctx, basis);
  switch (payload.typ) {
    case 'APP':
      return decide.app(payload);
    case 'AUTH':
      return decide.auth(payload);
    case 'REG':
      return decide.reg(payload);
    case 'PWD':
      return decide.pwd(payload);
  }
}

class TypeDecision {
  constructor(
    private readonly payload: Payload,
    private readonly ctx: VerifyContext,
    private readonly basis: Basis,
  ) {}

  app(p: AppPayload): Verdict {
    const application = this.ctx.data.application(p.rcpt);
    if (!application) {
      // A kiosk holds only its own office's applications, but a code names its office itself.
      return p.off === this.ctx.office ? this.reject('UNKNOWN_APPLICATION') : this.wrongOffice(p.off);
    }
    if (application.office !== this.ctx.office) return this.wrongOffice(application.office);
    switch (application.status) {
      case 'collected':
        return this.reject('ALREADY_COLLECTED');
      case 'rejected':
      case 'withdrawn':
        return this.reject('APPLICATION_CLOSED');
      case 'reviewing':
      case 'correction_requested':
        return this.reject('NOT_READY');
      case 'ready':
        break;
    }
    if (!application.feesPaid) return this.reject('FEES_UNPAID');
    return this.accept({ applications: [toVerdictApplication(application)] });
  }

  auth(p: AuthPayload): Verdict {
    const receiver = this.ctx.data.receiver(p.rid);
    if (!receiver) return this.reject('UNKNOWN_RECEIVER');
    const receiverView = { id: receiver.id, name: receiver.name };
    if (receiver.status !== 'active') return this.reject('RECEIVER_NOT_ACTIVE', { receiver: receiverView });
    if (p.pwv < receiver.passwordVersion) return this.reject('PASSWORD_CHANGED', { receiver: receiverView });
    if (p.pwv > receiver.passwordVersion) return this.reject('CACHE_BEHIND', { receiver: receiverView });

    const candidates = this.ctx.data
      .batchApplicationsFor(receiver.id, p.proc, this.ctx.office)
      .filter((a) => a.channel === 'batch' && a.status === 'ready' && a.feesPaid)
      .sort((a, b) => a.receiptNumber.localeCompare(b.receiptNumber));
    // Rule 15.3: an application with its own APP code must be collected with that code.
    const collectable = candidates.filter((a) => !a.individualCodeIssued);
    const excluded = candidates
      .filter((a) => a.individualCodeIssued)
      .map((a) => ({ receiptNumber: a.receiptNumber, reason: 'INDIVIDUAL_CODE_REQUIRED' as const }));
    if (collectable.length > 0) return this.accept({ receiver: receiverView, applications: collectable.map(toVerdictApplication), excluded });
    if (excluded.length > 0) return this.reject('INDIVIDUAL_CODE_REQUIRED', { receiver: receiverView, excluded });
    return this.reject('NOTHING_TO_COLLECT', { receiver: receiverView });
  }

  reg(p: RegPayload): Verdict {
    const receiverView = { id: p.rid, name: p.name };
    if (this.ctx.mode === 'kiosk') return this.reject('COUNTER_ONLY', { receiver: receiverView });
    const receiver = this.ctx.data.receiver(p.rid);
    if (receiver?.status === 'active') return this.reject('ALREADY_REGISTERED', { receiver: { id: receiver.id, name: receiver.name } });
    return this.accept({ receiver: receiverView });
  }

  pwd(p: PwdPayload): Verdict {
    const receiverView = { id: p.rid, name: p.name };
    if (this.ctx.mode === 'kiosk') return this.reject('COUNTER_ONLY', { receiver: receiverView });
    const receiver = this.ctx.data.receiver(p.rid);
    if (!receiver) return this.reject('UNKNOWN_RECEIVER', { receiver: receiverView });
    const known = { id: receiver.id, name: receiver.name };
    if (receiver.status !== 'active') return this.reject('RECEIVER_NOT_ACTIVE', { receiver: known });
    if (p.pwv <= receiver.passwordVersion) return this.reject('PASSWORD_CHANGE_ALREADY_APPLIED', { receiver: known });
    if (p.pwv > receiver.passwordVersion + 1) return this.reject('CACHE_BEHIND', { receiver: known });
    return this.accept({ receiver: known });
  }

  private wrongOffice(code: string): Verdict {
    const office = { code, name: this.ctx.data.officeName(code) };
    return this.reject('WRONG_OFFICE', { detail: { office } }, office);
  }

  private accept(extra: Partial<Verdict>): Verdict {
    const count = extra.applications?.length ?? 0;
    return {
      ...baseVerdict('accepted', null, this.payload.typ, this.payload.jti, this.basis),
      ...extra,
      message: acceptanceMessage({ codeType: this.payload.typ, mode: this.ctx.mode, count }),
    };
  }

  private reject(reason: Reason, extra?: Partial<Verdict>, office?: { code: string; name: LocalizedText | null }): Verdict {
    return reject(reason, this.payload.typ, this.payload.jti, this.basis, this.ctx, extra, office);
  }
}

/** Reasons whose outcome is `refer`: a person must decide, or the data may be behind. */
const REFER_REASONS: ReadonlySet<Reason> = new Set(['CACHE_STALE', 'CACHE_BEHIND', 'COUNTER_ONLY']);

function reject(
  reason: Reason,
  codeType: CodeType | null,
  jti: string | null,
  basis: Basis,
  ctx: VerifyContext,
  extra?: Partial<Verdict>,
  office?: { code: string; name: LocalizedText | null },
): Verdict {
  const outcome = REFER_REASONS.has(reason) ? 'refer' : 'rejected';
  return {
    ...baseVerdict(outcome, reason, codeType, jti, basis),
    ...extra,
    message: rejectionMessage(reason, { codeType, mode: ctx.mode, asOf: basis.asOf, ...(office ? { office } : {}) }),
  };
}

function baseVerdict(outcome: Verdict['outcome'], reason: Reason | null, codeType: CodeType | null, jti: string | null, basis: Basis): Verdict {
  return { outcome, reason, codeType, jti, receiver: null, applications: [], excluded: [], basis, message: { ja: '', en: '' } };
}

function jtiOf(payload: Record<string, unknown>): string | null {
  return typeof payload['jti'] === 'string' ? payload['jti'] : null;
}

export function toVerdictApplication(a: Application): VerdictApplication {
  return {
    receiptNumber: a.receiptNumber,
    procedureType: a.procedureType,
    deliverables: a.deliverables,
    vehicle: a.vehicle,
    reviewCompletedAt: a.reviewCompletedAt,
  };
}
