// The conflicts staff must see: this station's own (answers to its outbox events) and those the
// hub published for the office's other stations. Resolving one anywhere resolves it everywhere:
// the resolution goes upstream with what the counter knew, and the hub's feed brings it back.
import type { ConflictView } from '../../protocol/events.js';
import type { DaemonContext } from '../context.js';
import { fail, type Fail } from './action-runner.js';

/** What the hub needs to publish a resolution (sent with the resolve-conflict staff action). */
export interface ConflictFacts {
  eventType: string;
  code: string;
  message: string;
  subject: string | null;
  at: string;
}

export function conflictViews(ctx: DaemonContext): ConflictView[] {
  const own = ctx.outbox.conflicts().map((c): ConflictView => ({ id: c.id, type: c.type, at: c.at, detail: c.detail, deviceId: ctx.config.deviceId, ownStation: true }));
  const ids = new Set(own.map((c) => c.id));
  const others = ctx.cache.view
    .officeConflicts(ctx.config.office)
    .filter((c) => !ids.has(c.eventId))
    .map((c): ConflictView => ({ id: c.eventId, type: c.eventType, at: c.at, detail: { code: c.code, message: c.message, subject: c.subject }, deviceId: c.deviceId, ownStation: c.deviceId === ctx.config.deviceId }));
  return [...own, ...others].sort((a, b) => a.at.localeCompare(b.at));
}

/** Mark a conflict resolved here (own and office copies); the facts for the hub, or a refusal. Call in the action's transaction. */
export function resolveConflictHere(ctx: DaemonContext, conflictId: string, staffId: string, note: string, now: Date): ConflictFacts | Fail {
  const own = ctx.outbox.conflict(conflictId);
  const office = ctx.cache.view.officeConflict(conflictId.toLowerCase());
  if (!own && !office) return fail('NOT_FOUND', 'There is no such conflict.');
  if ((own?.resolved ?? true) && (office?.resolved ?? true)) return fail('ALREADY_RESOLVED', 'That conflict was already resolved.');
  if (own && !own.resolved) ctx.outbox.resolveConflict(conflictId, staffId, note, now);
  if (office && !office.resolved) ctx.cache.local.resolveOfficeConflict(office.eventId, staffId, note);
  if (office) return { eventType: office.eventType, code: office.code, message: office.message, subject: office.subject, at: office.at };
  const detail = (own!.detail ?? {}) as { code?: unknown; message?: unknown; refusedByHub?: unknown };
  const subject = own!.data['receiptNumber'] ?? own!.data['receiverId'];
  return {
    eventType: own!.type,
    code: typeof detail.code === 'string' ? detail.code : 'REFUSED',
    message: typeof detail.message === 'string' ? detail.message : String(detail.refusedByHub ?? ''),
    subject: typeof subject === 'string' ? subject : null,
    at: own!.at,
  };
}
