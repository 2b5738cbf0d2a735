// The change-feed record format (sync.md), validated strictly: a record that does not fit is
// refused whole rather than half-applied.
import { z } from 'zod';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO-8601 time');
const localized = z.object({ ja: z.string(), en: z.string() });
const nonEmpty = z.string().min(1);

export const entityData = {
  meta: z.object({ asOf: isoTime.optional() }).passthrough(),
  office: z.object({ name: localized }),
  procedureType: z.object({ name: localized }),
  key: z.object({
    alg: z.string(),
    publicKey: z.string(),
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
} as const;

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
