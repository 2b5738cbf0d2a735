// The kiosk's sync client (docs/sync.md): follows the hub's change feed down and sends the outbox
// up, each in its own loop, and keeps one status the screens, /healthz, /metrics and
// `kiosk status` show: online or offline since when, the last error, and the clock skew.
import { FeedFollower } from './feed-follower.js';
import { HubHttp, type HubErrorKind } from './hub-http.js';
import { OutboxSender } from './outbox-sender.js';
import type { AuditHeadSource, EventSource, FeedSink } from './ports.js';
import { Sleeper } from './sleeper.js';

export interface SyncStatus {
  state: 'connecting' | 'online' | 'offline';
  /** When the current state began. */
  since: Date;
  /** The last exchange the hub answered. */
  lastSyncAt: Date | null;
  /** What went wrong last, in words; null once both directions work again. */
  lastError: string | null;
  errorKind: HubErrorKind | null;
  /** Hub clock minus this device's clock, from the last exchange; null before one. */
  clockSkewMs: number | null;
  /** The feed has caught up with the hub. */
  caughtUp: boolean;
}

export interface SyncClientOptions {
  url: string;
  token: string | undefined;
  deviceId: string;
  office: string;
  sink: FeedSink;
  events: EventSource;
  audit: AuditHeadSource;
  now?: () => Date;
  pageLimit?: number;
  longPollSeconds?: number;
  /** Every change of status, and every page applied (the screens show data age and state). */
  onStatus?: (status: SyncStatus) => void;
  onPageApplied?: (records: number) => void;
}

export class SyncClient {
  private readonly sleepers = { feed: new Sleeper(), outbox: new Sleeper() };
  private readonly follower: FeedFollower;
  private readonly sender: OutboxSender;
  private readonly errors: { feed: { message: string; kind: HubErrorKind } | null; outbox: { message: string; kind: HubErrorKind } | null } = { feed: null, outbox: null };
  private running: Promise<unknown> | null = null;
  private current: SyncStatus;

  constructor(private readonly o: SyncClientOptions) {
    const now = o.now ?? (() => new Date());
    this.current = { state: 'connecting', since: now(), lastSyncAt: null, lastError: null, errorKind: null, clockSkewMs: null, caughtUp: false };
    const http = new HubHttp({
      baseUrl: o.url,
      token: o.token,
      onClock: (skewMs) => {
        this.current.clockSkewMs = skewMs;
      },
    });
    this.follower = new FeedFollower({
      http,
      sink: o.sink,
      office: o.office,
      sleeper: this.sleepers.feed,
      ...(o.pageLimit ? { pageLimit: o.pageLimit } : {}),
      ...(o.longPollSeconds !== undefined ? { longPollSeconds: o.longPollSeconds } : {}),
      toLocalTime: (hubTime) => new Date(hubTime.getTime() - (this.current.clockSkewMs ?? 0)),
      report: (r) => {
        if (r.ok) {
          this.current.caughtUp = r.caughtUp;
          this.o.onPageApplied?.(r.records);
        }
        this.exchanged('feed', r.ok ? null : r.error);
      },
    });
    this.sender = new OutboxSender({
      http,
      events: o.events,
      audit: o.audit,
      deviceId: o.deviceId,
      office: o.office,
      sleeper: this.sleepers.outbox,
      now,
      report: (r) => this.exchanged('outbox', r.ok ? null : r.error),
    });
  }

  start(): void {
    this.running ??= Promise.all([this.follower.run(), this.sender.run()]);
  }

  /** New events are in the outbox: send them now rather than at the next idle check. */
  outboxChanged(): void {
    this.sleepers.outbox.wake();
  }

  status(): SyncStatus {
    return { ...this.current };
  }

  async stop(): Promise<void> {
    for (const s of Object.values(this.sleepers)) s.stop();
    this.follower.stop();
    this.sender.stop();
    await this.running;
  }

  private exchanged(loop: 'feed' | 'outbox', error: { message: string; kind: HubErrorKind } | null): void {
    const now = (this.o.now ?? (() => new Date()))();
    const other = loop === 'feed' ? 'outbox' : 'feed';
    if (!error && this.errors[other]) {
      // The hub answers again: the other direction need not wait out its backoff.
      if (other === 'outbox') this.o.events.retryNow(now);
      this.sleepers[other].wake({ force: true });
    }
    this.errors[loop] = error && { message: error.message, kind: error.kind };
    if (!error) this.current.lastSyncAt = now;
    const latest = error ?? this.errors.feed ?? this.errors.outbox;
    // Online means data flows both ways: a page that cannot be applied, or answers that are not
    // answers, keep the kiosk as offline as a dead link does.
    const state = this.failing() ? 'offline' : 'online';
    const changed = state !== this.current.state || (latest?.message ?? null) !== this.current.lastError;
    if (state !== this.current.state) this.current.since = now;
    this.current.state = state;
    this.current.lastError = latest?.message ?? null;
    this.current.errorKind = latest?.kind ?? null;
    if (changed || loop === 'feed') this.o.onStatus?.(this.status());
  }

  /** One direction's last exchange failed. */
  private failing(): boolean {
    return this.errors.feed !== null || this.errors.outbox !== null;
  }
}
