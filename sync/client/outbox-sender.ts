// Up: sends the outbox to the hub in batches. An event leaves the outbox only on the hub's answer
// for it (applied, duplicate, conflict); no answer means another try later, with backoff. A batch
// the hub refuses as a whole is sent again one event at a time, so one event the hub can never
// take is set aside for staff instead of blocking every event behind it.
import { eventsResponse, MAX_EVENTS_PER_BATCH, type EventsRequest, type SyncEvent } from '../../protocol/sync.js';
import { retryDelayMs } from './backoff.js';
import { HubError, type HubHttp } from './hub-http.js';
import type { AuditHeadSource, EventSource, PendingEvent } from './ports.js';
import type { Sleeper } from './sleeper.js';

export interface OutboxSenderOptions {
  http: HubHttp;
  events: EventSource;
  audit: AuditHeadSource;
  deviceId: string;
  office: string;
  sleeper: Sleeper;
  now: () => Date;
  batchSize?: number;
  /** With nothing due, look again at least this often (new events also wake the sender). */
  idleMs?: number;
  report: (outcome: { ok: true; sent: number } | { ok: false; error: HubError }) => void;
}

export class OutboxSender {
  private readonly cancel = new AbortController();

  constructor(private readonly o: OutboxSenderOptions) {}

  /** Runs until stop(); never throws. */
  async run(): Promise<void> {
    const { sleeper, events } = this.o;
    let failures = 0;
    while (!sleeper.isStopped) {
      const now = this.o.now();
      const due = events.pending(Math.min(this.o.batchSize ?? MAX_EVENTS_PER_BATCH, MAX_EVENTS_PER_BATCH), now);
      if (due.length === 0) {
        const next = events.nextAttemptAt();
        const idle = this.o.idleMs ?? 30_000;
        await sleeper.sleep(next ? Math.min(idle, Math.max(0, next.getTime() - now.getTime())) : idle);
        continue;
      }
      try {
        await this.send(due);
        failures = 0;
        this.o.report({ ok: true, sent: due.length });
      } catch (e) {
        if (sleeper.isStopped) break;
        const error = e instanceof HubError ? e : new HubError(String((e as Error)?.message ?? e), 'bad-answer');
        events.recordFailure(
          due.map((d) => d.id),
          error.message,
          this.o.now(),
        );
        this.o.report({ ok: false, error });
        failures++;
        await sleeper.sleep(retryDelayMs(error, failures), { backoff: true });
      }
    }
  }

  stop(): void {
    this.cancel.abort();
  }

  /** One batch; a batch refused as a whole is split until the refused events are found. */
  private async send(batch: PendingEvent[]): Promise<void> {
    try {
      await this.post(batch);
    } catch (e) {
      if (!(e instanceof HubError) || e.kind !== 'refused') throw e;
      if (batch.length === 1) {
        this.o.events.recordRefusal(batch[0]!.id, e.message, this.o.now());
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.send(batch.slice(0, half));
      await this.send(batch.slice(half));
    }
  }

  private async post(batch: PendingEvent[]): Promise<void> {
    const now = this.o.now();
    const body: EventsRequest = {
      deviceId: this.o.deviceId,
      office: this.o.office,
      auditHead: this.o.audit.head(),
      events: batch.map((e): SyncEvent => ({ id: e.id, type: e.type, at: e.at, deviceTime: now.toISOString(), data: e.data })),
    };
    const answer = eventsResponse.safeParse(await this.o.http.postEvents(body, this.cancel.signal));
    if (!answer.success) throw new HubError(`the hub's answer to a batch of events is not what the protocol says: ${answer.error.issues[0]?.message ?? ''}`, 'bad-answer');
    const answered = new Set(answer.data.results.map((r) => r.id.toLowerCase()));
    this.o.events.recordAnswers(answer.data.results, this.o.now());
    const unanswered = batch.filter((e) => !answered.has(e.id.toLowerCase())).map((e) => e.id);
    if (unanswered.length) this.o.events.recordFailure(unanswered, 'the hub did not answer for this event', this.o.now());
  }
}
