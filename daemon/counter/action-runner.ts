// How every staff action runs: once per client id (idempotency.ts), in one transaction with its
// answer, its audit row and its outbox event. A refused action leaves an audit row too — staff
// asked for something, and the log says what and why it was refused.
import { randomUUID } from 'node:crypto';
import type { ActionErrorCode } from '../../protocol/errors.js';
import type { ActionError } from '../../protocol/events.js';
import type { DaemonContext } from '../context.js';
import type { ActionResults } from './idempotency.js';

export interface Actor {
  staffId: string;
  deviceId: string;
}

export type Fail = { ok: false; error: ActionError };
export const fail = (code: ActionErrorCode, message: string): Fail => ({ ok: false, error: { code, message } });

function isRefusal(result: unknown): result is Fail {
  return typeof result === 'object' && result !== null && (result as { ok?: unknown }).ok === false;
}

export interface StaffRequest {
  id: string;
  kind: string;
  /** What the action was asked to do (binds the id; see idempotency.ts). */
  payload: unknown;
  /** What an audit row of a refusal says about the request: masked (no whole receipt numbers, codes or names). */
  facts: Record<string, unknown>;
}

export class ActionRunner {
  constructor(
    private readonly ctx: DaemonContext,
    readonly results: ActionResults,
  ) {}

  /** Run a synchronous staff action once on its id; a refusal it answers with is audited in the same transaction. */
  run<T>(actor: Actor, request: StaffRequest, action: () => T): T {
    return this.results.once({ id: request.id, kind: request.kind, staffId: actor.staffId, payload: request.payload }, () => {
      const result = action();
      if (isRefusal(result)) this.refused(actor, request.kind, request.id, result.error, request.facts);
      return result;
    });
  }

  /** The audit row of a refused staff action (also for refusals made before an action ran: a bad request). */
  refused(actor: Actor, kind: string, actionId: string | null, error: ActionError, facts: Record<string, unknown> = {}): void {
    this.ctx.audit.append({
      type: 'staff-action',
      deviceId: actor.deviceId,
      staffId: actor.staffId,
      at: this.ctx.now(),
      data: { kind, actionId, refused: error.code, message: error.message, ...facts },
    });
  }

  /** Staff actions without an effect of their own on master data still go upstream, in the action's transaction. */
  reportUpstream(kind: string, actor: Actor, now: Date, data: Record<string, unknown>): void {
    this.ctx.outbox.add({ id: randomUUID(), type: 'staff-action', at: now, data: { kind, staffId: actor.staffId, deviceId: actor.deviceId, ...data } }, now);
  }
}
