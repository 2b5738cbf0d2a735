// Commands this station recorded on its own and still owes the office log: a handover is done at
// the counter whether or not the office log can be reached (the person is there with the papers),
// so it is written here in the handover's own transaction and entered in the log as soon as a
// queue holder takes it; so is the withdrawal of a kiosk's issue it gave up waiting for. Each keeps
// its id: entered twice, it acts once.
import type { Statement } from 'better-sqlite3';
import type { DaemonContext } from '../context.js';
import { isKioskError } from '../errors.js';
import type { OfficeCommand } from './commands.js';
import type { OfficeQueue } from './office-queue.js';

const RETRY_MS = 1_000;
const PROPOSE_DEADLINE_MS = 2_000;

export class PendingCommands {
  private readonly s: {
    add: Statement<[string, string, string]>;
    oldest: Statement<[], { id: string; command: string }>;
    done: Statement<[string]>;
  };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly ctx: DaemonContext,
    private readonly office: OfficeQueue,
  ) {
    const db = ctx.cache.db;
    this.s = {
      add: db.prepare('INSERT OR IGNORE INTO office_pending (id, command, at) VALUES (?, ?, ?)'),
      oldest: db.prepare('SELECT id, command FROM office_pending ORDER BY at, id LIMIT 1'),
      done: db.prepare('DELETE FROM office_pending WHERE id = ?'),
    };
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), RETRY_MS);
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Owe this command to the office log; call in the transaction that recorded what it says. */
  add(command: OfficeCommand, now: Date): void {
    this.s.add.run(command.id, JSON.stringify(command), now.toISOString());
  }

  /** Enter what is owed, oldest first, until none is left or the office log cannot be reached. */
  kick(): void {
    this.running ??= this.drain().finally(() => (this.running = null));
  }

  private async drain(): Promise<void> {
    for (let row = this.s.oldest.get(); row && !this.stopped; row = this.s.oldest.get()) {
      try {
        await this.office.propose(JSON.parse(row.command) as OfficeCommand, PROPOSE_DEADLINE_MS);
        this.s.done.run(row.id);
      } catch (e) {
        if (!isKioskError(e, 'QUEUE_UNAVAILABLE')) this.ctx.logger.error({ err: e }, 'office queue: an owed command could not be entered in the office log');
        return;
      }
    }
  }
}
