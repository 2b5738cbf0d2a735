// The daemon's link to the hub: builds the sync client over this daemon's cache, outbox and audit
// log, and turns its status into what screens, /healthz, /metrics and `kiosk status` show.
import type { UpstreamState } from '../protocol/events.js';
import { SyncClient, type SyncStatus } from '../sync/client/sync-client.js';
import type { DaemonContext } from './context.js';
import { CacheFeedSink } from './store/feed-sink.js';

export class Upstream {
  private readonly client: SyncClient | null;

  constructor(
    private readonly ctx: DaemonContext,
    url: string | null,
    token: string | undefined,
  ) {
    this.client = url
      ? new SyncClient({
          url,
          token,
          deviceId: ctx.config.deviceId,
          office: ctx.config.office,
          sink: new CacheFeedSink(ctx.cache.db, ctx.cache.applier),
          events: ctx.outbox,
          audit: { head: () => ctx.audit.latest() },
          now: ctx.now,
          onStatus: (s) => this.statusChanged(s),
          onPageApplied: (records) => {
            if (records > 0) ctx.bus.emit('stateChanged');
          },
        })
      : null;
  }

  start(): void {
    if (!this.client) return;
    this.ctx.outbox.onAdded = () => this.client?.outboxChanged();
    this.client.start();
  }

  async stop(): Promise<void> {
    this.ctx.outbox.onAdded = () => {};
    await this.client?.stop();
  }

  state(): UpstreamState {
    const outboxDepth = this.ctx.outbox.depth();
    if (!this.client) return { state: 'standalone', since: null, lastSyncAt: null, lastError: null, clockSkewSeconds: null, outboxDepth, detail: 'no hub configured: data comes by kiosk import' };
    const s = this.client.status();
    return {
      state: s.state,
      since: s.since.toISOString(),
      lastSyncAt: s.lastSyncAt?.toISOString() ?? null,
      lastError: s.lastError,
      clockSkewSeconds: s.clockSkewMs === null ? null : Math.round(s.clockSkewMs / 1000),
      outboxDepth,
      ...(s.state === 'online' && !s.caughtUp ? { detail: 'catching up with the hub' } : {}),
    };
  }

  private last: Pick<SyncStatus, 'state' | 'lastError'> | null = null;

  private statusChanged(s: SyncStatus): void {
    if (s.state !== this.last?.state || s.lastError !== this.last?.lastError) {
      const log = s.state === 'offline' ? this.ctx.logger.warn.bind(this.ctx.logger) : this.ctx.logger.info.bind(this.ctx.logger);
      log({ upstream: s.state, error: s.lastError, clockSkewMs: s.clockSkewMs }, s.state === 'online' ? 'hub reachable' : 'hub not reachable');
      this.last = { state: s.state, lastError: s.lastError };
    }
    this.ctx.bus.emit('stateChanged');
  }
}
