// The events side of the hub on PostgreSQL: loading the facts a group of batches is judged by, and
// writing its events and device rows, each in one statement (rows as one JSON parameter).
import type pg from 'pg';
import type { EventsRequest } from '../../protocol/sync.js';
import { factKeys, type BatchFacts, type DeviceExchange, type GroupOutcome } from './event-judge.js';

type Client = pg.PoolClient;

export async function loadFacts(c: Client, requests: readonly EventsRequest[]): Promise<BatchFacts> {
  const keys = factKeys(requests);
  const facts: BatchFacts = { existing: new Map(), applications: new Map(), receivers: new Map(), collectedBy: new Map(), passwordChanges: new Map() };
  const known = await c.query<{ id: string; device_id: string; status: 'applied' | 'conflict'; detail: string | null }>('SELECT id, device_id, status, detail FROM events WHERE id = ANY($1::text[])', [keys.eventIds]);
  for (const r of known.rows) facts.existing.set(r.id, { deviceId: r.device_id, status: r.status, detail: r.detail ? JSON.parse(r.detail) : null });
  if (keys.receipts.length === 0 && keys.receivers.length === 0) return facts;
  const current = await c.query<{ entity: string; id: string; data: string }>(
    "SELECT entity, id, data FROM feed WHERE op = 'upsert' AND ((entity = 'application' AND id = ANY($1::text[])) OR (entity = 'receiver' AND id = ANY($2::text[])))",
    [keys.receipts, keys.receivers],
  );
  for (const r of current.rows) {
    if (r.entity === 'application') facts.applications.set(r.id, JSON.parse(r.data));
    else facts.receivers.set(r.id, JSON.parse(r.data));
  }
  const collected = await c.query<{ subject: string; device_id: string; at: string }>(
    "SELECT DISTINCT ON (subject) subject, device_id, at FROM events WHERE type = 'pickup' AND status = 'applied' AND subject = ANY($1::text[]) ORDER BY subject, n DESC",
    [keys.receipts],
  );
  for (const r of collected.rows) facts.collectedBy.set(r.subject, { deviceId: r.device_id, at: r.at });
  const versions = await c.query<{ receiver_id: string; version: number; changed_at: string | null }>(
    'SELECT receiver_id, version, changed_at FROM password_versions WHERE receiver_id = ANY($1::text[]) ORDER BY version',
    [keys.receivers],
  );
  for (const id of keys.receivers) facts.passwordChanges.set(id, []);
  for (const r of versions.rows) facts.passwordChanges.get(r.receiver_id)?.push({ receiverId: r.receiver_id, version: r.version, changedAt: r.changed_at });
  return facts;
}

export async function insertEvents(c: Client, inserts: GroupOutcome['inserts'], received: string): Promise<void> {
  if (inserts.length === 0) return;
  const rows = inserts.map((e, i) => ({
    i,
    id: e.event.id,
    device_id: e.deviceId,
    office: e.office,
    type: e.event.type,
    at: e.at,
    device_time: e.event.deviceTime,
    status: e.status,
    detail: e.detail ? JSON.stringify(e.detail) : null,
    data: JSON.stringify(e.event.data),
    subject: e.subject,
  }));
  await c.query(
    `INSERT INTO events (id, device_id, office, type, at, device_time, received_at, status, detail, data, subject)
     SELECT e.id, e.device_id, e.office, e.type, e.at, e.device_time, $1, e.status, e.detail, e.data, e.subject
     FROM json_to_recordset($2::json) AS e (i int, id text, device_id text, office text, type text, at text, device_time text, status text, detail text, data text, subject text)
     ORDER BY e.i ON CONFLICT (id) DO NOTHING`,
    [received, JSON.stringify(rows)],
  );
}

/** Each device's clock and audit head (an audit head only moves forward). */
export async function writeDeviceExchanges(c: Client, devices: readonly DeviceExchange[], received: string): Promise<void> {
  await c.query(
    `UPDATE devices t SET last_seen_at = $1,
       device_time = coalesce(x.device_time, t.device_time),
       hub_time = CASE WHEN x.device_time IS NULL THEN t.hub_time ELSE $1 END,
       skew_ms = coalesce(x.skew, t.skew_ms),
       audit_hash = CASE WHEN x.seq IS NOT NULL AND (t.audit_seq IS NULL OR x.seq > t.audit_seq) THEN x.hash ELSE t.audit_hash END,
       audit_at = CASE WHEN x.seq IS NOT NULL AND (t.audit_seq IS NULL OR x.seq > t.audit_seq) THEN $1 ELSE t.audit_at END,
       audit_seq = CASE WHEN x.seq IS NOT NULL AND (t.audit_seq IS NULL OR x.seq > t.audit_seq) THEN x.seq ELSE t.audit_seq END
     FROM json_to_recordset($2::json) AS x (device_id text, device_time text, skew bigint, seq bigint, hash text)
     WHERE t.device_id = x.device_id`,
    [received, JSON.stringify(devices.map((x) => ({ device_id: x.deviceId, device_time: x.deviceTime, skew: x.skewMs, seq: x.auditHead?.seq ?? null, hash: x.auditHead?.hash ?? null })))],
  );
}
