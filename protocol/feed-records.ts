// The change-feed record format (docs/sync.md), validated strictly: a record that does not fit is
// refused whole rather than half-applied. Browser-safe (zod only): the hub, the sync client,
// `kiosk import` and the demo all validate with these schemas.
import { z } from 'zod';

/** Strict ISO 8601 with a date, a time to the second (fractions allowed) and a zone: "1" or "2026-11-27" are refused. */
const isoTime = z.iso.datetime({ offset: true, error: 'not an ISO-8601 date-time with a zone (2026-11-27T09:00:00Z)' });
/** base64 of exactly 32 raw bytes: an Ed25519 public key. Whether the bytes are a valid point is checked where keys are parsed. */
const ed25519PublicKey = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'base64 of a raw 32-byte Ed25519 public key');
const localized = z.object({ ja: z.string(), en: z.string() });
const nonEmpty = z.string().min(1);

export const entityData = {
  meta: z.object({ asOf: isoTime.optional() }).passthrough(),
  office: z.object({ name: localized }),
  procedureType: z.object({ name: localized }),
  key: z.object({
    alg: z.literal('Ed25519', { error: 'alg must be "Ed25519"' }),
    publicKey: ed25519PublicKey,
    notBefore: isoTime.nullable().optional(),
    notAfter: isoTime.nullable().optional(),
    revokedAt: isoTime.nullable().optional(),
  }),
  receiver: z.object({
    name: z.string(),
    batchUserId: z.string().nullable().optional(),
    status: z.enum(['pending', 'active', 'suspended', 'deleted']),
    passwordVersion: z.number().int().min(0),
  }),
  application: z.object({
    office: nonEmpty,
    procedureType: nonEmpty,
    channel: z.enum(['screen', 'batch']),
    receiverId: z.string().nullable().optional(),
    status: z.enum(['reviewing', 'correction_requested', 'ready', 'collected', 'rejected', 'withdrawn']),
    feesPaid: z.boolean(),
    individualCodeIssued: z.boolean().optional(),
    deliverables: z.array(z.enum(['certificate', 'record_printout', 'sticker'])).optional(),
    vehicle: z.object({ registration: z.string().optional(), chassisLast4: z.string().optional() }).passthrough().optional(),
    reviewCompletedAt: isoTime.nullable().optional(),
  }),
  /** A station of an office (a device the hub enrolled for it): the SHA-256 of its working tokens, so the office's stations can check one another's (docs/office.md). */
  station: z.object({ office: nonEmpty, tokenHashes: z.array(z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex')).max(8) }),
  /** A staff account of an office: it signs in at every station of that office. Only the scrypt hash of the PIN travels. */
  staff: z.object({ office: nonEmpty, name: z.string().trim().min(1).max(100), pinHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/, 'an scrypt PIN hash'), disabled: z.boolean() }),
  /** A conflict the hub found in an event of one of the office's stations: every counter of the office shows it until staff resolve it. */
  conflict: z.object({
    office: nonEmpty,
    /** The event that conflicted, and the device that sent it. */
    eventId: z.uuid(),
    deviceId: nonEmpty,
    eventType: nonEmpty,
    code: nonEmpty,
    message: z.string(),
    /** What it is about: the receipt number of a pickup, the receiver of a registration. */
    subject: z.string().nullable(),
    at: isoTime,
    resolved: z.boolean(),
    resolvedBy: z.string().nullable().optional(),
    note: z.string().nullable().optional(),
  }),
} as const;

/** Entities whose records belong to one office (`data.office`): a kiosk receives only its own office's. */
export const OFFICE_SCOPED_ENTITIES = ['application', 'station', 'staff', 'conflict'] as const satisfies readonly (keyof typeof entityData)[];

export type Entity = keyof typeof entityData;
export const ENTITIES = Object.keys(entityData) as Entity[];

const envelope = z.object({
  seq: z.number().int().min(0),
  entity: z.enum(ENTITIES as [Entity, ...Entity[]]),
  id: nonEmpty,
  op: z.enum(['upsert', 'delete']),
  /** Checked per entity for an upsert; a delete may carry anything here (or null) and it is ignored. */
  data: z.unknown().optional(),
});

export type ChangeRecord = {
  [E in Entity]: { seq: number; entity: E; id: string } & ({ op: 'upsert'; data: z.infer<(typeof entityData)[E]> } | { op: 'delete' });
}[Entity];

export type RecordCheck = { ok: true; record: ChangeRecord } | { ok: false; error: string };

/** Validate one record (already JSON-parsed). */
export function checkRecord(raw: unknown): RecordCheck {
  const env = envelope.safeParse(raw);
  if (!env.success) return { ok: false, error: describe(env.error) };
  const { seq, entity, id, op } = env.data;
  if (op === 'delete') return { ok: true, record: { seq, entity, id, op } as ChangeRecord };
  const data = entityData[entity].safeParse(env.data.data ?? (entity === 'meta' ? {} : undefined));
  if (!data.success) return { ok: false, error: `${entity} ${id}: ${describe(data.error, 'data')}` };
  return { ok: true, record: { seq, entity, id, op, data: data.data } as ChangeRecord };
}

function describe(error: z.ZodError, prefix?: string): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid record';
  const path = [prefix, ...issue.path].filter((p) => p !== undefined).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
