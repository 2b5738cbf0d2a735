// Staff actions carry a client-made id: the same request sent again returns the first answer and
// acts once. An id is bound to what it was first used for — the kind of action, the staff member
// and the payload — so a reused id with anything else is refused, never answered with another
// request's result. Answers are kept two days (retries come within seconds) with receiver names
// masked.
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { canonicalJson } from '../audit/canonical.js';
import { maskName } from '../audit/mask.js';
import { KioskError } from '../errors.js';
import type { Db } from '../store/db.js';

export interface ActionRequest {
  id: string;
  kind: string;
  staffId: string;
  /** What the action was asked to do (without the id). */
  payload: unknown;
}

/** How long an answer is kept for retries. */
export const ACTION_RESULT_RETENTION_MS = 48 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;

export class ActionResults {
  private readonly get: Statement<[string], { response: string; fingerprint: string | null }>;
  private readonly put: Statement;
  private readonly prune: Statement<[string]>;
  private lastPrunedAt = 0;

  constructor(private readonly db: Db) {
    this.get = db.prepare('SELECT response, fingerprint FROM action_results WHERE id = ?');
    this.put = db.prepare('INSERT INTO action_results (id, kind, staff_id, response, at, fingerprint) VALUES (?, ?, ?, ?, ?, ?)');
    this.prune = db.prepare('DELETE FROM action_results WHERE at < ?');
  }

  /** The first answer to this request; BAD_REQUEST when the id was used for a different one. */
  previous<T>(request: ActionRequest): T | undefined {
    const row = this.get.get(request.id);
    if (!row) return undefined;
    if (row.fingerprint !== fingerprint(request)) {
      throw new KioskError(`action id ${request.id} was already used for a different request: send a new id`, 'BAD_REQUEST');
    }
    return JSON.parse(row.response) as T;
  }

  /** Run a synchronous action once, in one transaction with the record of its answer. */
  once<T>(request: ActionRequest, action: () => T): T {
    return this.db.transaction(() => {
      const earlier = this.previous<T>(request);
      if (earlier !== undefined) return earlier;
      const response = action();
      this.remember(request, response);
      return response;
    })();
  }

  remember(request: ActionRequest, response: unknown, now = new Date()): void {
    this.put.run(request.id, request.kind, request.staffId, JSON.stringify(response, maskReceiverNames), now.toISOString(), fingerprint(request));
    if (now.getTime() - this.lastPrunedAt > PRUNE_EVERY_MS) {
      this.lastPrunedAt = now.getTime();
      this.prune.run(new Date(now.getTime() - ACTION_RESULT_RETENTION_MS).toISOString());
    }
  }
}

function fingerprint({ kind, staffId, payload }: ActionRequest): string {
  return createHash('sha256').update(canonicalJson({ kind, staffId, payload: payload ?? null })).digest('hex');
}

/** JSON.stringify replacer: a stored answer never holds a receiver's name whole (a retry shows it masked). */
function maskReceiverNames(key: string, value: unknown): unknown {
  if (key === 'receiver' && value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') {
    return { ...value, name: maskName((value as { name: string }).name) };
  }
  return value;
}
