// Client ids for idempotent staff actions: the same logical action keeps its id until the daemon
// gives a final answer, so a retry after a timeout or reconnect acts once (daemon/staff/README.md).
import { newId } from '../common/uuid.js';

export class ActionIds {
  private readonly ids = new Map<string, string>();

  /** The id to send for this action (e.g. `handover:<receipt>`); the same until settled. */
  idFor(key: string): string {
    let id = this.ids.get(key);
    if (!id) {
      id = newId();
      this.ids.set(key, id);
    }
    return id;
  }

  /** The daemon answered (success or a refusal it will repeat): the next attempt is a new action. */
  settle(key: string): void {
    this.ids.delete(key);
  }
}

/** Errors the wrapper made up because no answer came: retry with the same id. */
export function isUnanswered(code: string): boolean {
  return code === 'TIMEOUT' || code === 'OFFLINE';
}
