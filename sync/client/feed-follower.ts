// Down: follows the hub's change feed. Pages are fetched one ahead while the current one is
// applied; each page is applied in one transaction and the cursor moves only with it. Once
// caught up, it long-polls, so a change published at the hub arrives within a round trip.
import { checkChangesPage, type ChangesPage } from '../../protocol/sync.js';
import { retryDelayMs } from './backoff.js';
import { HubError, type HubHttp } from './hub-http.js';
import type { FeedSink } from './ports.js';
import type { Sleeper } from './sleeper.js';

export interface FeedFollowerOptions {
  http: HubHttp;
  sink: FeedSink;
  /** This device's office: the hub leaves out other offices' applications. */
  office: string;
  sleeper: Sleeper;
  /** Records a page may carry (the hub may clamp it). */
  pageLimit?: number;
  /** Seconds a caught-up long-poll waits at the hub. */
  longPollSeconds?: number;
  /** The hub's asOf on this device's clock (the client knows the skew). */
  toLocalTime: (hubTime: Date) => Date;
  /** After every exchange: a page applied, or what went wrong. */
  report: (outcome: { ok: true; records: number; caughtUp: boolean } | { ok: false; error: HubError }) => void;
}

export class FeedFollower {
  private readonly cancel = new AbortController();

  constructor(private readonly o: FeedFollowerOptions) {}

  /** Runs until stop(); never throws. */
  async run(): Promise<void> {
    const { sleeper } = this.o;
    let failures = 0;
    let caughtUp = false;
    let prefetched: Promise<unknown> | null = null;
    while (!sleeper.isStopped) {
      try {
        const since = this.o.sink.cursor();
        const body = await (prefetched ?? this.fetch(since, caughtUp && !this.o.sink.snapshotInProgress() ? (this.o.longPollSeconds ?? 25) : 0));
        prefetched = null;
        const page = this.check(body, since);
        if (page === 'snapshot') {
          caughtUp = false;
          continue;
        }
        // Ask for the next page while this one is applied.
        if (page.more) prefetched = quiet(this.fetch(page.next, 0));
        this.apply(page);
        failures = 0;
        caughtUp = !page.more;
        this.o.report({ ok: true, records: page.changes.length, caughtUp });
      } catch (e) {
        if (prefetched) void (prefetched as Promise<unknown>).catch(() => undefined);
        prefetched = null;
        if (sleeper.isStopped) break;
        const error = e instanceof HubError ? e : new HubError(`the hub's page could not be applied: ${(e as Error).message}`, 'bad-answer');
        this.o.report({ ok: false, error });
        failures++;
        caughtUp = false;
        await sleeper.sleep(retryDelayMs(error, failures), { backoff: true });
      }
    }
  }

  /** Ends a long-poll under way (the loop itself ends through the sleeper). */
  stop(): void {
    this.cancel.abort();
  }

  private fetch(since: number, wait: number): Promise<unknown> {
    return this.o.http.getChanges({ since, limit: this.o.pageLimit ?? 5000, wait, office: this.o.office }, this.cancel.signal);
  }

  /** Validate a page; 'snapshot' when the kiosk must start over from seq 0. */
  private check(body: unknown, since: number): ChangesPage | 'snapshot' {
    const checked = checkChangesPage(body);
    if (!checked.ok) throw new HubError(`the hub sent a bad page after seq ${since}: ${checked.error}`, 'bad-answer');
    const page = checked.page;
    const known = this.o.sink.feedId();
    if ((known !== null && page.feedId !== known) || page.head < since) {
      // Another feed, or this one restored from a backup: what the cache holds may be ahead of it.
      this.o.sink.beginSnapshot();
      return 'snapshot';
    }
    if (page.next < since) throw new HubError(`the hub's page goes backwards (next ${page.next} after ${since})`, 'bad-answer');
    return page;
  }

  private apply(page: ChangesPage): void {
    const asOf = page.more ? null : clampToNow(this.o.toLocalTime(new Date(page.asOf)));
    this.o.sink.applyPage({ records: page.changes, next: page.next, feedId: page.feedId, asOf, completesSnapshot: !page.more && this.o.sink.snapshotInProgress() });
  }
}

/** A hub cannot know the data better than now: an asOf from the future (a lying or skewed hub) counts as now. */
function clampToNow(at: Date): Date {
  const now = Date.now();
  return at.getTime() > now ? new Date(now) : at;
}

/** A promise whose rejection is handled later (avoids an unhandled rejection meanwhile). */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}
