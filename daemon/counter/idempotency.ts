// Staff actions carry a client-made id: the same id again returns the first answer and acts once.
import type { Statement } from 'better-sqlite3';
import { KioskError } from '../errors.js';
import type { Db } from '../store/db.js';

export class ActionResults {
  private readonly get: Statement<[string], { response: string; kind: string; staff_id: string | null }>;
  private readonly put: Statement;

  constructor(private readonly db: Db) {
    this.get = db.prepare('SELECT response, kind, staff_id FROM action_results WHERE id = ?');
    this.put = db.prepare('INSERT INTO action_results (id, kind, staff_id, response, at) VALUES (?, ?, ?, ?, ?)');
  }

  /** The first answer to this id; an id already used for another kind of action is refused. */
  previous<T>(id: string, kind: string): T | undefined {
    const row = this.get.get(id);
    if (!row) return undefined;
    if (row.kind !== kind) throw new KioskError(`action id ${id} was already used for ${row.kind}`, 'BAD_REQUEST');
    return JSON.parse(row.response) as T;
  }

  /** Run a synchronous action once, in one transaction with the record of its answer. */
  once<T>(id: string, kind: string, staffId: string, action: () => T): T {
    return this.db.transaction(() => {
      const earlier = this.previous<T>(id, kind);
      if (earlier !== undefined) return earlier;
      const response = action();
      this.remember(id, kind, staffId, response);
      return response;
    })();
  }

  remember(id: string, kind: string, staffId: string, response: unknown): void {
    this.put.run(id, kind, staffId, JSON.stringify(response), new Date().toISOString());
  }
}
