// One dedicated connection that LISTENs for feed changes published by other hub processes on the
// same database. If it drops, it reconnects with backoff and reports `reconnected`: notifications
// sent meanwhile are lost, so every waiter must look again.
import pg from 'pg';

export const FEED_CHANNEL = 'kiosk_hub_feed';
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5000;

export interface FeedListenerHooks {
  notified(payload: string): void;
  reconnected(): void;
  failed(error: Error): void;
}

export class PgFeedListener {
  private client: pg.Client | null = null;
  private starting: Promise<void> | null = null;
  private stopped = false;
  private retryMs = RETRY_FIRST_MS;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly hooks: FeedListenerHooks,
  ) {}

  /** Resolves once LISTEN is in place (the first time); later drops reconnect by themselves. */
  start(): Promise<void> {
    this.starting ??= this.connect(false);
    return this.starting;
  }

  private async connect(isRetry: boolean): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('notification', (n) => {
      if (n.channel === FEED_CHANNEL) this.hooks.notified(n.payload ?? '');
    });
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${FEED_CHANNEL}`);
    } catch (e) {
      quiet(client);
      await client.end().catch(() => undefined);
      if (!isRetry) {
        this.starting = null;
        throw e;
      }
      this.lost(client, e as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = RETRY_FIRST_MS;
    if (isRetry) this.hooks.reconnected();
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.stopped || (this.client !== client && this.client !== null)) return;
    this.client = null;
    quiet(client);
    client.end().catch(() => undefined);
    this.hooks.failed(error);
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) void this.connect(true);
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      quiet(client);
      await client.end().catch(() => undefined);
    }
  }
}

/** A client being dropped: its late errors and end are of no interest (but must not go unhandled). */
function quiet(client: pg.Client): void {
  client.removeAllListeners('end');
  client.removeAllListeners('error');
  client.on('error', () => undefined);
}
