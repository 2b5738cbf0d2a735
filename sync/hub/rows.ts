// Database rows of devices and events (the same columns in both engines) to their API shapes.
// PostgreSQL hands bigint columns over as text, hence the Number() calls.
import type { EventType } from '../../protocol/sync.js';
import type { DeviceRow, StoredEvent } from './types.js';

export interface DeviceDbRow {
  device_id: string;
  office: string | null;
  enrolled_at: string;
  last_seen_at: string | null;
  device_time: string | null;
  hub_time: string | null;
  skew_ms: number | string | null;
  audit_seq: number | string | null;
  audit_hash: string | null;
  audit_at: string | null;
  active_tokens: number | string;
}

export interface EventDbRow {
  n: number | string;
  id: string;
  device_id: string;
  office: string;
  type: string;
  at: string;
  device_time: string;
  received_at: string;
  status: 'applied' | 'conflict';
  detail: string | null;
  data: string;
}

const num = (v: number | string | null) => (v === null ? null : Number(v));

export function deviceRow(r: DeviceDbRow): DeviceRow {
  const auditSeq = num(r.audit_seq);
  return {
    deviceId: r.device_id,
    office: r.office,
    enrolledAt: r.enrolled_at,
    activeTokens: Number(r.active_tokens),
    lastSeenAt: r.last_seen_at,
    deviceTime: r.device_time,
    hubTime: r.hub_time,
    skewMs: num(r.skew_ms),
    auditHead: auditSeq === null ? null : { deviceId: r.device_id, seq: auditSeq, hash: r.audit_hash ?? '', at: r.audit_at ?? '' },
  };
}

export function storedEvent(r: EventDbRow): StoredEvent {
  return {
    id: r.id,
    deviceId: r.device_id,
    office: r.office,
    type: r.type as EventType,
    at: r.at,
    deviceTime: r.device_time,
    receivedAt: r.received_at,
    status: r.status,
    detail: r.detail === null ? null : JSON.parse(r.detail),
    data: JSON.parse(r.data) as Record<string, unknown>,
  };
}
