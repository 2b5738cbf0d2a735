// The hub's SQL on SQLite, prepared once per connection.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../daemon/store/db.js';
import { OFFICE_SCOPE_SQL, recordJsonSql, type RowState } from './feed-plan.js';
import type { DeviceDbRow, EventDbRow } from './rows.js';

type PageRow = [count: number, last: number | null, body: Buffer | null];

/**
 * A page in one row: its count, last seq, and its records' JSON joined by SQLite and handed over
 * as bytes (a BLOB), so no JavaScript string is made of them on the way to the socket.
 */
const pageSql = (where: string) =>
  `SELECT count(*), max(seq), CAST(group_concat(j, ',' ORDER BY seq) AS BLOB)
   FROM (SELECT seq, ${recordJsonSql((e) => `json_quote(${e})`)} AS j FROM feed WHERE seq > ? ${where} ORDER BY seq LIMIT ?)`;

export function prepare(db: Db) {
  const st = <P extends unknown[] | object, R>(sql: string) => db.prepare(sql) as Statement<P, R>;
  return {
    meta: st<[string], { value: string }>('SELECT value FROM hub_meta WHERE key = ?'),
    setMeta: st<[string, string], void>('INSERT INTO hub_meta (key, value) VALUES (?, ?)'),
    insertKey: st<[string, string, string], void>('INSERT INTO signing_keys (kid, seed, created_at) VALUES (?, ?, ?)'),
    key: st<[], { kid: string; seed: string }>('SELECT kid, seed FROM signing_keys ORDER BY created_at DESC LIMIT 1'),
    head: st<[], { head: number }>('SELECT coalesce(max(seq), 0) AS head FROM feed'),
    row: st<[string, string], RowState>('SELECT seq, op, office, prev_office AS prevOffice, data FROM feed WHERE entity = ? AND id = ?'),
    current: st<[string, string], { data: string }>("SELECT data FROM feed WHERE entity = ? AND id = ? AND op = 'upsert'"),
    metaFeed: st<[], { data: string | null }>("SELECT data FROM feed WHERE entity = 'meta' AND id = 'feed' AND op = 'upsert'"),
    writeRow: st<[number, string, string, string, string | null, string | null, string | null], void>(
      `INSERT INTO feed (seq, entity, id, op, office, prev_office, data) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (entity, id) DO UPDATE SET seq = excluded.seq, op = excluded.op, office = excluded.office, prev_office = excluded.prev_office, data = excluded.data`,
    ),
    pageAll: st<[number, number], PageRow>(pageSql('')).raw(),
    pageOffice: st<[number, string, string, number], PageRow>(pageSql(`AND ${OFFICE_SCOPE_SQL('?')}`)).raw(),
    moreAll: st<[number], number>('SELECT EXISTS (SELECT 1 FROM feed WHERE seq > ?)').pluck(),
    moreOffice: st<[number, string, string], number>(`SELECT EXISTS (SELECT 1 FROM feed WHERE seq > ? AND ${OFFICE_SCOPE_SQL('?')})`).pluck(),
    insertPasswordVersion: st<[string, number, string | null], void>('INSERT OR IGNORE INTO password_versions (receiver_id, version, changed_at) VALUES (?, ?, ?)'),
    passwordVersions: st<[string], { version: number; changed_at: string | null }>('SELECT version, changed_at FROM password_versions WHERE receiver_id = ? ORDER BY version'),
    upsertDevice: st<[string, string | null, string], void>(
      'INSERT INTO devices (device_id, office, enrolled_at) VALUES (?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET office = excluded.office',
    ),
    revokeTokens: st<[string, string], void>('UPDATE tokens SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL'),
    insertToken: st<[string, string, string], void>('INSERT INTO tokens (token_hash, device_id, created_at) VALUES (?, ?, ?)'),
    auth: st<[string], { device_id: string; office: string | null }>(
      'SELECT t.device_id, d.office FROM tokens t JOIN devices d ON d.device_id = t.device_id WHERE t.token_hash = ? AND t.revoked_at IS NULL',
    ),
    touch: st<[string, string], void>('UPDATE devices SET last_seen_at = ? WHERE device_id = ?'),
    knownEvent: st<[string], { device_id: string; status: 'applied' | 'conflict'; detail: string | null }>('SELECT device_id, status, detail FROM events WHERE id = ?'),
    collectedBy: st<[string], { device_id: string; at: string }>(
      "SELECT device_id, at FROM events WHERE subject = ? AND type = 'pickup' AND status = 'applied' ORDER BY n DESC LIMIT 1",
    ),
    insertEvent: st<[string, string, string, string, string, string, string, string, string | null, string, string | null], void>(
      'INSERT INTO events (id, device_id, office, type, at, device_time, received_at, status, detail, data, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    // An audit head only moves forward: a device whose log was cut short cannot lower it.
    deviceExchange: st<[{ device: string; hub: string; deviceTime: string | null; skew: number | null; seq: number | null; hash: string | null }], void>(
      `UPDATE devices SET last_seen_at = :hub,
         device_time = coalesce(:deviceTime, device_time),
         hub_time = CASE WHEN :deviceTime IS NULL THEN hub_time ELSE :hub END,
         skew_ms = coalesce(:skew, skew_ms),
         audit_hash = CASE WHEN :seq IS NOT NULL AND (audit_seq IS NULL OR :seq > audit_seq) THEN :hash ELSE audit_hash END,
         audit_at = CASE WHEN :seq IS NOT NULL AND (audit_seq IS NULL OR :seq > audit_seq) THEN :hub ELSE audit_at END,
         audit_seq = CASE WHEN :seq IS NOT NULL AND (audit_seq IS NULL OR :seq > audit_seq) THEN :seq ELSE audit_seq END
       WHERE device_id = :device`,
    ),
    auditHead: st<[string], { audit_seq: number | null; audit_hash: string | null; audit_at: string | null }>('SELECT audit_seq, audit_hash, audit_at FROM devices WHERE device_id = ?'),
    events: st<[{ after: number; device: string | null; status: string | null; limit: number }], EventDbRow>(
      `SELECT n, id, device_id, office, type, at, device_time, received_at, status, detail, data FROM events
       WHERE n > :after AND (:device IS NULL OR device_id = :device) AND (:status IS NULL OR status = :status) ORDER BY n LIMIT :limit`,
    ),
    devices: st<[], DeviceDbRow>(
      `SELECT d.*, (SELECT count(*) FROM tokens t WHERE t.device_id = d.device_id AND t.revoked_at IS NULL) AS active_tokens FROM devices d ORDER BY d.device_id`,
    ),
  };
}
