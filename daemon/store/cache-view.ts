// Read side of the cache: the VerificationData the decision table consults.
import type { Statement } from 'better-sqlite3';
import type { LocalizedText } from '../../protocol/verdict.js';
import type { Application, Receiver, TrustedKey, VerificationData } from '../core/model.js';
import { Ed25519PublicKey } from '../core/signature.js';
import type { Db } from './db.js';

/**
 * An application as read on every scan: the columns named, in this order, as an array (`.raw()`).
 * Named columns as arrays cost 5.4 µs a row against 6.5 µs for `SELECT *` as objects (bench/README.md).
 */
const APPLICATION_COLUMNS = 'receipt_number, office, procedure_type, channel, receiver_id, status, fees_paid, individual_code_issued, deliverables, vehicle, review_completed_at';
type ApplicationRow = [
  receiptNumber: string,
  office: string,
  procedureType: string,
  channel: 'screen' | 'batch',
  receiverId: string | null,
  status: Application['status'],
  feesPaid: number,
  individualCodeIssued: number,
  deliverables: string,
  vehicle: string,
  reviewCompletedAt: string | null,
];

interface KeyRow {
  kid: string;
  alg: string;
  public_key: string;
  not_before: number | null;
  not_after: number | null;
  revoked_at: number | null;
}

type ReceiverRow = [id: string, name: string, batchUserId: string | null, status: Receiver['status'], passwordVersion: number];

const MEMO_TTL_MS = 1000;

export class CacheView implements VerificationData {
  private readonly statements: {
    meta: Statement<[string], { value: string }>;
    key: Statement<[string], KeyRow>;
    application: Statement<[string], ApplicationRow>;
    receiver: Statement<[string], ReceiverRow>;
    batch: Statement<[string, string, string], ApplicationRow>;
    office: Statement<[string], { name_ja: string; name_en: string }>;
    procedureTypes: Statement<[], { code: string; name_ja: string; name_en: string }>;
    officeConflicts: Statement<[string], OfficeConflictRow>;
    officeConflict: Statement<[string], OfficeConflictRow>;
    stations: Statement<[string], { id: string; token_hashes: string }>;
  };
  /** Parsing a public key costs more than a verify; the key material of a kid rarely changes. */
  private readonly parsedKeys = new Map<string, Ed25519PublicKey | null>();
  /**
   * asOf and the trust list are read on every scan but change only when a feed page commits.
   * Commits in this process call invalidate(); another process's `kiosk import` shows within
   * MEMO_TTL_MS.
   */
  private memo: { at: number; asOf: Date | null; keys: Map<string, TrustedKey | undefined>; procedureTypes?: Record<string, LocalizedText> } | null = null;

  constructor(db: Db) {
    this.statements = {
      meta: db.prepare('SELECT value FROM cache_meta WHERE key = ?'),
      key: db.prepare('SELECT * FROM signing_keys WHERE kid = ?'),
      application: db.prepare<[string], ApplicationRow>(`SELECT ${APPLICATION_COLUMNS} FROM applications WHERE receipt_number = ?`).raw(),
      receiver: db.prepare<[string], ReceiverRow>('SELECT id, name, batch_user_id, status, password_version FROM receivers WHERE id = ?').raw(),
      batch: db.prepare<[string, string, string], ApplicationRow>(`SELECT ${APPLICATION_COLUMNS} FROM applications WHERE receiver_id = ? AND procedure_type = ? AND office = ?`).raw(),
      office: db.prepare('SELECT name_ja, name_en FROM offices WHERE code = ?'),
      procedureTypes: db.prepare('SELECT code, name_ja, name_en FROM procedure_types'),
      officeConflicts: db.prepare('SELECT * FROM office_conflicts WHERE office = ? AND resolved = 0 ORDER BY at, event_id'),
      officeConflict: db.prepare('SELECT * FROM office_conflicts WHERE event_id = ?'),
      stations: db.prepare('SELECT id, token_hashes FROM office_stations WHERE office = ?'),
    };
  }

  invalidate(): void {
    this.memo = null;
  }

  asOf(): Date | null {
    return this.fresh().asOf;
  }

  key(kid: string): TrustedKey | undefined {
    const keys = this.fresh().keys;
    if (!keys.has(kid)) keys.set(kid, this.readKey(kid));
    return keys.get(kid);
  }

  private fresh(): NonNullable<CacheView['memo']> {
    const now = Date.now();
    if (!this.memo || now - this.memo.at > MEMO_TTL_MS) {
      const value = this.statements.meta.get('asOf')?.value;
      this.memo = { at: now, asOf: value ? new Date(value) : null, keys: new Map() };
    }
    return this.memo;
  }

  private readKey(kid: string): TrustedKey | undefined {
    const row = this.statements.key.get(kid);
    if (!row) return undefined;
    return {
      kid: row.kid,
      alg: row.alg,
      publicKey: this.parseKey(row.public_key),
      notBefore: row.not_before,
      notAfter: row.not_after,
      revokedAt: row.revoked_at,
    };
  }

  application(receiptNumber: string): Application | undefined {
    const row = this.statements.application.get(receiptNumber);
    return row && toApplication(row);
  }

  receiver(id: string): Receiver | undefined {
    const row = this.statements.receiver.get(id);
    return row && { id: row[0], name: row[1], batchUserId: row[2], status: row[3], passwordVersion: row[4] };
  }

  batchApplicationsFor(receiverId: string, procedureType: string, office: string): Application[] {
    return this.statements.batch.all(receiverId, procedureType, office).map(toApplication);
  }

  /** Unresolved conflicts the hub published for this office, oldest first. */
  officeConflicts(office: string): OfficeConflict[] {
    return this.statements.officeConflicts.all(office).map(toOfficeConflict);
  }

  officeConflict(eventId: string): OfficeConflict | undefined {
    const row = this.statements.officeConflict.get(eventId);
    return row && toOfficeConflict(row);
  }

  /** The station of this office a token belongs to (by its SHA-256), or null. */
  stationOfToken(tokenHash: string, office: string): string | null {
    for (const row of this.statements.stations.all(office)) if ((JSON.parse(row.token_hashes) as string[]).includes(tokenHash)) return row.id;
    return null;
  }

  /** Procedure type names by code (the screens show names, never codes); read once per feed commit like asOf. */
  procedureTypeNames(): Record<string, LocalizedText> {
    const memo = this.fresh();
    memo.procedureTypes ??= Object.fromEntries(this.statements.procedureTypes.all().map((r) => [r.code, { ja: r.name_ja, en: r.name_en }]));
    return memo.procedureTypes;
  }

  officeName(code: string): LocalizedText | null {
    const row = this.statements.office.get(code);
    return row ? { ja: row.name_ja, en: row.name_en } : null;
  }

  private parseKey(base64: string): Ed25519PublicKey | null {
    let key = this.parsedKeys.get(base64);
    if (key === undefined) {
      key = Ed25519PublicKey.fromBase64(base64);
      this.parsedKeys.set(base64, key);
    }
    return key;
  }
}

interface OfficeConflictRow {
  event_id: string;
  office: string;
  device_id: string;
  event_type: string;
  code: string;
  message: string;
  subject: string | null;
  at: string;
  resolved: number;
  resolved_by: string | null;
  note: string | null;
}

/** A conflict the hub found in an event of one of the office's stations. */
export interface OfficeConflict {
  eventId: string;
  deviceId: string;
  eventType: string;
  code: string;
  message: string;
  subject: string | null;
  at: string;
  resolved: boolean;
}

function toOfficeConflict(r: OfficeConflictRow): OfficeConflict {
  return { eventId: r.event_id, deviceId: r.device_id, eventType: r.event_type, code: r.code, message: r.message, subject: r.subject, at: r.at, resolved: r.resolved === 1 };
}

function toApplication([receiptNumber, office, procedureType, channel, receiverId, status, feesPaid, individualCodeIssued, deliverables, vehicle, reviewCompletedAt]: ApplicationRow): Application {
  return {
    receiptNumber,
    office,
    procedureType,
    channel,
    receiverId,
    status,
    feesPaid: feesPaid === 1,
    individualCodeIssued: individualCodeIssued === 1,
    deliverables: JSON.parse(deliverables) as Application['deliverables'],
    vehicle: JSON.parse(vehicle) as Application['vehicle'],
    reviewCompletedAt,
  };
}
