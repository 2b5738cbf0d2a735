// The append-only audit log (docs/decision-table.md): every scan, verdict, ticket, call, pickup and staff
// action. Each row carries the hash of the one before, so an edit, a deletion or a reordering
// shows up in verify(). Triggers refuse UPDATE and DELETE; the chain catches edits made around them.
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { KioskError } from '../errors.js';
import type { Db } from '../store/db.js';
import { canonicalJson } from './canonical.js';
import { receiptRef } from './mask.js';

export const AUDIT_TYPES = [
  'scan',
  'verdict',
  'ticket',
  'call',
  'handover',
  'reprint',
  'lookup',
  'staff-action',
  'staff-sign-in',
  'staff-sign-out',
  'registration',
  'password-change',
  'conflict',
  'alert',
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

/** The hash before the first row. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  type: AuditType;
  deviceId: string;
  staffId?: string | null;
  scanId?: string | null;
  /** JSON-serialisable; mask names, codes and receipts first (mask.ts). */
  data: Record<string, unknown>;
  /** Defaults to the system clock. */
  at?: Date;
}

export interface AuditRow {
  seq: number;
  at: string;
  type: string;
  deviceId: string;
  staffId: string | null;
  scanId: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Rows checked (up to and including the broken one). */
  rows: number;
  /** The seq where the chain first breaks. */
  brokenAt?: number;
  problem?: string;
  /** The hash of the last good row: note it elsewhere to detect later truncation of the tail. */
  lastHash: string;
}

interface DbRow {
  seq: number;
  at: string;
  type: string;
  device_id: string;
  staff_id: string | null;
  scan_id: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

const COLUMNS = 'seq, at, type, device_id, staff_id, scan_id, data, prev_hash, hash';

export class AuditLog {
  private readonly head: Statement<[], { seq: number; hash: string }>;
  private readonly insert: Statement<[number, string, string, string, string | null, string | null, string, string, string]>;
  private receiptKey: Buffer | undefined;

  /** Called after each append (the anchor keeper counts them); the row may still roll back with its transaction. */
  onAppended: () => void = () => {};

  constructor(private readonly db: Db) {
    this.head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare(`INSERT INTO audit_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /** A receipt number as rows keep it: masked, with this log's tag to find it again (mask.ts receiptRef). */
  receipt(receiptNumber: string): string {
    this.receiptKey ??= this.db.prepare<[], { receipt_key: Buffer }>('SELECT receipt_key FROM audit_secret WHERE id = 1').get()?.receipt_key;
    if (!this.receiptKey) throw new KioskError('the audit log has no receipt key (migration audit 2 missing)', 'DATABASE');
    return receiptRef(receiptNumber, this.receiptKey);
  }

  /** Rows that mention this receipt number (by its tag), oldest first. */
  findReceipt(receiptNumber: string, limit = 1000): AuditRow[] {
    const tag = this.receipt(receiptNumber).split('#')[1]!;
    return this.db
      .prepare<[string, number], DbRow>(`SELECT ${COLUMNS} FROM audit_log WHERE instr(data, ?) > 0 ORDER BY seq LIMIT ?`)
      .all(tag, limit)
      .map(fromDb);
  }

  /** The hash of the row at seq, or null when there is no such row. */
  hashAt(seq: number): string | null {
    return this.db.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?').get(seq)?.hash ?? null;
  }

  /** Append one row (synchronous: call it inside the transaction of the effect it records). */
  append(entry: AuditEntry): AuditRow {
    if (!(AUDIT_TYPES as readonly string[]).includes(entry.type)) throw new KioskError(`unknown audit type ${entry.type}`, 'BAD_REQUEST');
    if (!entry.deviceId) throw new KioskError('an audit row needs a device id', 'BAD_REQUEST');
    const at = (entry.at ?? new Date()).toISOString();
    const dataJson = canonicalJson(entry.data ?? {});
    const data = JSON.parse(dataJson) as Record<string, unknown>;
    const appended = this.db
      .transaction(() => {
        const last = this.head.get();
        const seq = (last?.seq ?? 0) + 1;
        const prevHash = last?.hash ?? GENESIS_HASH;
        const row = { seq, at, type: entry.type, deviceId: entry.deviceId, staffId: entry.staffId ?? null, scanId: entry.scanId ?? null, data };
        const hash = chainHash(prevHash, row);
        this.insert.run(seq, at, row.type, row.deviceId, row.staffId, row.scanId, dataJson, prevHash, hash);
        return { ...row, prevHash, hash };
      })
      .immediate();
    this.onAppended();
    return appended;
  }

  /** The latest position of the chain (sent to the hub with every batch of events); null while empty. */
  latest(): { seq: number; hash: string } | null {
    return this.head.get() ?? null;
  }

  /** The last n rows, oldest first. */
  tail(n: number): AuditRow[] {
    return this.db
      .prepare<[number], DbRow>(`SELECT * FROM (SELECT ${COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT ?) ORDER BY seq`)
      .all(Math.max(0, Math.floor(n)))
      .map(fromDb);
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_log').get()?.n ?? 0;
  }

  /**
   * Walk the whole chain, one row at a time. Detects edited rows, deleted rows (a gap in seq or
   * a prev_hash that does not match) and reordered rows. Rows cut off the end show only against a
   * head noted earlier: see anchor.ts.
   */
  verify(): AuditVerification {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let rows = 0;
    const broken = (seq: number, problem: string): AuditVerification => ({ ok: false, rows, brokenAt: seq, problem, lastHash: prevHash });
    for (const r of this.db.prepare<[], DbRow>(`SELECT ${COLUMNS} FROM audit_log ORDER BY seq`).iterate()) {
      rows++;
      if (r.seq !== expectedSeq) {
        return broken(r.seq, expectedSeq === 1 ? `log starts at seq ${r.seq}: rows before it are missing` : `seq ${r.seq} follows ${expectedSeq - 1}: rows are missing`);
      }
      if (r.prev_hash !== prevHash) return broken(r.seq, `prev_hash does not match the hash of seq ${r.seq - 1}`);
      let row: AuditRow;
      try {
        row = fromDb(r);
      } catch {
        return broken(r.seq, 'data is not valid JSON');
      }
      if (chainHash(prevHash, row) !== r.hash) return broken(r.seq, 'hash does not match the row content');
      prevHash = r.hash;
      expectedSeq++;
    }
    return { ok: true, rows, lastHash: prevHash };
  }
}

function chainHash(prevHash: string, row: Omit<AuditRow, 'prevHash' | 'hash'>): string {
  const content = canonicalJson({ seq: row.seq, at: row.at, type: row.type, deviceId: row.deviceId, staffId: row.staffId, scanId: row.scanId, data: row.data });
  return createHash('sha256').update(prevHash + content, 'utf8').digest('hex');
}

function fromDb(r: DbRow): AuditRow {
  return {
    seq: r.seq,
    at: r.at,
    type: r.type,
    deviceId: r.device_id,
    staffId: r.staff_id,
    scanId: r.scan_id,
    data: JSON.parse(r.data) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
