// Staff actions carry a client-made id: the same id again returns the first answer and acts once.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db.js';

export class ActionResults {
  private readonly get: Statement<[string], { response: string }>;
  private readonly put: Statement;

  constructor(private readonly db: Db) {
    this.get = db.prepare('SELECT response FROM action_results WHERE id = ?');
    this.put = db.prepare('INSERT INTO action_results (id, kind, staff_id, response, at) VALUES (?, ?, ?, ?, ?)');
  }

  previous<T>(id: string): T | undefined {
    const row = this.get.get(id);
    return row ? (JSON.parse(row.response) as T) : undefined;
  }

  /** Run a synchronous action once, in one transaction with the record of its answer. */
  once<T>(id: string, kind: string, staffId: string, action: () => T): T {
    return this.db.transaction(() => {
      const earlier = this.previous<T>(id);
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
