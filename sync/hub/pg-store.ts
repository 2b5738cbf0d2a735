// The hub on PostgreSQL (`pg`): hub processes keep no state of their own, so any number of them can
// serve one database. Feed writes are serialised by a transaction advisory lock and announced with
// NOTIFY, which wakes long-polls waiting on every other hub process (pg-listener.ts).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { KioskError } from '../../daemon/errors.js';
import type { ChangeRecord } from '../../protocol/feed-records.js';
import type { EventResult } from '../../protocol/sync.js';
import { judgeGroup } from './event-judge.js';
import { insertEvents, loadFacts, writeDeviceExchanges } from './pg-events.js';
import { lastPerKey, metaAsOf, planPublish, rowKey, pageEnd, recordJsonSql, OFFICE_SCOPE_SQL, WakeCollector, type PasswordVersionChange, type RowState } from './feed-plan.js';
import { FEED_CHANNEL, PgFeedListener } from './pg-listener.js';
import { FEED_LOCK, migratePg } from './pg-schema.js';
import { deviceRow, storedEvent, type DeviceDbRow, type EventDbRow } from './rows.js';
import { checkDeviceId, checkOffice, HubStoreBase, keyRecord, newIdentity } from './store-base.js';
import { looksLikeToken, newToken, tokenHash } from './tokens.js';
import type { AuditHeadRow, DeviceAuth, DeviceRow, EventBatch, EventFilter, FeedPage, FeedWake, HubInfo, HubStore, PageQuery, PublishResult, StoredEvent } from './types.js';

/**
 * Rows per bulk statement. Rows go over as one JSON parameter (json_to_recordset): JSON.stringify
 * and the server's JSON parser are far cheaper than pg's escaping of array parameters.
 */
const WRITE_BATCH = 5000;
/** NOTIFY payloads are limited to 8000 bytes; past this the wake says "everything". */
const MAX_NOTIFY_PAYLOAD = 7000;
const ANALYZE_AFTER_ROWS = 10_000;
const EVENTS_PAGE = 1000;

export interface PgStoreOptions {
  poolSize?: number;
  /** Called when the LISTEN connection drops (it reconnects by itself). */
  onListenError?: (error: Error) => void;
}

type Client = pg.PoolClient;

export class PgHubStore extends HubStoreBase implements HubStore {
  readonly engine = 'postgres' as const;
  /** Tells this process's own NOTIFYs apart from other processes'. */
  private readonly instance = randomUUID();
  private readonly listener: PgFeedListener;
  private feedId = '';

  private constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
    config: pg.ClientConfig,
    options: PgStoreOptions,
  ) {
    super();
    this.listener = new PgFeedListener(config, {
      notified: (payload) => this.notified(payload),
      reconnected: () => this.emit({ all: true }),
      failed: (e) => options.onListenError?.(e),
    });
  }

  static async open(databaseUrl: string, options: PgStoreOptions = {}): Promise<PgHubStore> {
    // work_mem: a page's 10,000 records are sorted for string_agg in memory, not on disk.
    const config: pg.ClientConfig = { connectionString: databaseUrl, connectionTimeoutMillis: 10_000, application_name: 'kiosk-hub', options: '-c work_mem=32MB' };
    const location = redact(databaseUrl);
    const pool = new pg.Pool({ ...config, max: options.poolSize ?? 10 });
    pool.on('error', () => undefined); // an idle client's connection dropped: the pool replaces it
    const store = new PgHubStore(pool, location, config, options);
    try {
      const client = await pool.connect();
      try {
        await migratePg(client);
      } finally {
        client.release();
      }
      await store.initialise();
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw new KioskError(`DATABASE_URL: cannot use PostgreSQL at ${location}: ${(e as Error).message}`, 'CONFIG_INVALID', { location });
    }
    return store;
  }

  private async initialise(): Promise<void> {
    const wake = new WakeCollector();
    this.feedId = await this.feedTx(wake, async (c) => {
      const existing = await c.query<{ value: string }>("SELECT value FROM hub_meta WHERE key = 'feed_id'");
      if (existing.rows[0]) return existing.rows[0].value;
      const identity = newIdentity();
      await c.query("INSERT INTO hub_meta (key, value) VALUES ('feed_id', $1)", [identity.feedId]);
      await c.query('INSERT INTO signing_keys (kid, seed, created_at) VALUES ($1, $2, $3)', [identity.kid, identity.seedBase64, identity.createdAt]);
      await this.publishInTx(c, [[keyRecord(identity)]], new Date(), wake);
      return identity.feedId;
    });
  }

  /** Make sure changes by other hub processes are reported from now on. */
  listen(): Promise<void> {
    return this.listener.start();
  }

  async info(): Promise<HubInfo> {
    const key = await this.signingKey();
    const { rows } = await this.pool.query<{ head: string }>('SELECT coalesce(max(seq), 0) AS head FROM feed');
    return { feedId: this.feedId, head: Number(rows[0]?.head ?? 0), kid: key.kid };
  }

  private async tx<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const result = await fn(c);
      await c.query('COMMIT');
      c.release();
      return result;
    } catch (e) {
      const broken = await c.query('ROLLBACK').then(
        () => undefined,
        (rollbackError: Error) => rollbackError,
      );
      c.release(broken ?? undefined);
      throw e;
    }
  }

  /**
   * A transaction that writes the feed. Seqs must become visible in seq order: a long-poller that
   * has read up to 11 must never later miss a 10 that committed late. A sequence cannot promise
   * that (numbers are handed out at nextval, rows appear at commit, and commits can overtake each
   * other), so feed writers take one transaction advisory lock, read the head after taking it and
   * hold it until commit: every reader's snapshot then holds a prefix of the seqs.
   */
  private async feedTx<T>(wake: WakeCollector, fn: (c: Client) => Promise<T>): Promise<T> {
    const result = await this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK]);
      const value = await fn(c);
      const w = wake.result();
      if (w) await c.query('SELECT pg_notify($1, $2)', [FEED_CHANNEL, this.notifyPayload(w)]); // delivered at commit
      return value;
    });
    this.emit(wake.result());
    return result;
  }

  private notifyPayload(wake: FeedWake): string {
    const payload = JSON.stringify('all' in wake ? { src: this.instance, all: true } : { src: this.instance, offices: [...wake.offices] });
    return payload.length <= MAX_NOTIFY_PAYLOAD ? payload : JSON.stringify({ src: this.instance, all: true });
  }

  private notified(payload: string): void {
    let message: { src?: string; all?: boolean; offices?: string[] };
    try {
      message = JSON.parse(payload) as typeof message;
    } catch {
      message = { all: true };
    }
    if (message.src === this.instance) return; // already announced in this process at commit
    this.emit(message.all || !Array.isArray(message.offices) ? { all: true } : { offices: new Set(message.offices) });
  }

  protected watchOthers(on: boolean): void {
    if (on) this.listener.start().catch(() => undefined); // the listener reports its own failures
  }

  async publish(records: readonly ChangeRecord[]): Promise<PublishResult> {
    return this.publishChunks([records]);
  }

  async publishChunks(chunks: Iterable<readonly ChangeRecord[]>): Promise<PublishResult> {
    const wake = new WakeCollector();
    return this.feedTx(wake, async (c) => {
      const result = await this.publishInTx(c, chunks, new Date(), wake);
      // After a bulk load the planner's row counts are far off until autovacuum comes round, and
      // a page read would sort the whole rest of the feed instead of walking the seq index.
      if (result.changed >= ANALYZE_AFTER_ROWS) await c.query('ANALYZE feed');
      return result;
    });
  }

  private async publishInTx(c: Client, chunks: Iterable<readonly ChangeRecord[]>, now: Date, wake: WakeCollector): Promise<PublishResult> {
    let head = Number((await c.query<{ head: string }>('SELECT coalesce(max(seq), 0) AS head FROM feed')).rows[0]?.head ?? 0);
    let changed = 0;
    let unchanged = 0;
    for (const chunk of chunks) {
      const all = lastPerKey(chunk);
      for (let i = 0; i < all.length; i += WRITE_BATCH) {
        const records = all.slice(i, i + WRITE_BATCH);
        const existing = await this.rowsOf(c, records);
        const plan = planPublish(records, existing, head, now);
        if (plan.writes.length > 0) {
          await c.query(
            `INSERT INTO feed (seq, entity, id, op, office, prev_office, data)
             SELECT seq, entity, id, op, office, "prevOffice", data
             FROM json_to_recordset($1::json) AS w (seq bigint, entity text, id text, op text, office text, "prevOffice" text, data text)
             ON CONFLICT (entity, id) DO UPDATE SET seq = EXCLUDED.seq, op = EXCLUDED.op, office = EXCLUDED.office, prev_office = EXCLUDED.prev_office, data = EXCLUDED.data`,
            [JSON.stringify(plan.writes)],
          );
        }
        await this.insertPasswordVersions(c, plan.passwordVersions);
        wake.merge(plan.wake);
        head = plan.head;
        changed += plan.writes.length;
        unchanged += plan.unchanged;
      }
    }
    return { changed, unchanged, head };
  }

  private async rowsOf(c: Client, records: readonly ChangeRecord[]): Promise<Map<string, RowState>> {
    const { rows } = await c.query<{ seq: string; entity: string; id: string; op: 'upsert' | 'delete'; office: string | null; prev_office: string | null; data: string | null }>(
      'SELECT f.seq, f.entity, f.id, f.op, f.office, f.prev_office, f.data FROM feed f JOIN json_to_recordset($1::json) AS k (entity text, id text) ON f.entity = k.entity AND f.id = k.id',
      [JSON.stringify(records.map((r) => ({ entity: r.entity, id: r.id })))],
    );
    return new Map(rows.map((r) => [rowKey(r.entity, r.id), { seq: Number(r.seq), op: r.op, office: r.office, prevOffice: r.prev_office, data: r.data }]));
  }

  private async insertPasswordVersions(c: Client, changes: readonly PasswordVersionChange[]): Promise<void> {
    if (changes.length === 0) return;
    await c.query(
      'INSERT INTO password_versions (receiver_id, version, changed_at) SELECT "receiverId", version, "changedAt" FROM json_to_recordset($1::json) AS v ("receiverId" text, version int, "changedAt" text) ON CONFLICT DO NOTHING',
      [JSON.stringify(changes)],
    );
  }

  async page(query: PageQuery): Promise<FeedPage> {
    // One statement, one snapshot: head and records agree, so `next` never skips a row. The
    // records' JSON is built and joined by the server: one string comes back, not 10,000 rows.
    const scope = query.office === undefined ? '' : `AND ${OFFICE_SCOPE_SQL('$3')}`;
    const { rows } = await this.pool.query<[string, string | null, string, string | null, string | null, boolean]>({
      text: `WITH p AS (SELECT seq, ${recordJsonSql((e) => `to_json(${e})::text`)} AS j FROM feed WHERE seq > $1 ${scope} ORDER BY seq LIMIT $2)
             SELECT (SELECT coalesce(max(seq), 0) FROM feed),
                    (SELECT data FROM feed WHERE entity = 'meta' AND id = 'feed' AND op = 'upsert'),
                    (SELECT count(*) FROM p), (SELECT max(seq) FROM p), (SELECT string_agg(j, ',' ORDER BY seq) FROM p),
                    CASE WHEN (SELECT count(*) FROM p) < $2 THEN false
                         ELSE EXISTS (SELECT 1 FROM feed WHERE seq > (SELECT max(seq) FROM p) ${scope}) END`,
      values: query.office === undefined ? [query.since, query.limit] : [query.since, query.limit, query.office],
      rowMode: 'array',
    });
    const [head, meta, count, last, body, follows] = rows[0]!;
    const { more, next } = pageEnd(query, Number(head), Number(count), last === null ? null : Number(last), follows);
    return { head: Number(head), next, more, count: Number(count), body: Buffer.from(body ?? ''), metaAsOf: metaAsOf(meta) };
  }

  async enroll(deviceId: string, office: string | null): Promise<string> {
    checkDeviceId(deviceId);
    checkOffice(office);
    const token = newToken();
    const now = new Date().toISOString();
    await this.tx(async (c) => {
      await c.query('INSERT INTO devices (device_id, office, enrolled_at) VALUES ($1, $2, $3) ON CONFLICT (device_id) DO UPDATE SET office = EXCLUDED.office', [deviceId, office, now]);
      await c.query('UPDATE tokens SET revoked_at = $1 WHERE device_id = $2 AND revoked_at IS NULL', [now, deviceId]);
      await c.query('INSERT INTO tokens (token_hash, device_id, created_at) VALUES ($1, $2, $3)', [tokenHash(token), deviceId, now]);
    });
    return token;
  }

  async revoke(deviceId: string): Promise<boolean> {
    this.forgetSeen(deviceId);
    const r = await this.pool.query('UPDATE tokens SET revoked_at = $1 WHERE device_id = $2 AND revoked_at IS NULL', [new Date().toISOString(), deviceId]);
    return (r.rowCount ?? 0) > 0;
  }

  async authenticate(token: string): Promise<DeviceAuth | null> {
    if (!looksLikeToken(token)) return null;
    const { rows } = await this.pool.query<{ device_id: string; office: string | null }>(
      'SELECT t.device_id, d.office FROM tokens t JOIN devices d ON d.device_id = t.device_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL',
      [tokenHash(token)],
    );
    return rows[0] ? { deviceId: rows[0].device_id, office: rows[0].office } : null;
  }

  /** Best effort and never waiting: rows an events group holds are skipped (it writes them itself). */
  protected async writeLastSeen(deviceIds: readonly string[], at: string): Promise<void> {
    await this.tx(async (c) => {
      await c.query('SET LOCAL synchronous_commit TO OFF'); // a lost last-seen time costs nothing
      await c.query(
        'UPDATE devices SET last_seen_at = $1 WHERE device_id IN (SELECT device_id FROM devices WHERE device_id = ANY($2::text[]) ORDER BY device_id FOR UPDATE SKIP LOCKED)',
        [at, deviceIds],
      );
    });
  }

  /**
   * Every group takes the feed lock: pickups and password changes must be judged one group at a
   * time across hub processes (or two processes could hand out one application), and one lock
   * taken first also keeps groups from deadlocking on device rows.
   */
  async recordEvents(batches: readonly EventBatch[], hubTime: Date): Promise<EventResult[][]> {
    const wake = new WakeCollector();
    const received = hubTime.toISOString();
    return this.feedTx(wake, async (c) => {
      const outcome = judgeGroup(batches, await loadFacts(c, batches.map((b) => b.request)), hubTime);
      await insertEvents(c, outcome.inserts, received);
      // The events' own password versions (with their times) go in before the publish's.
      await this.insertPasswordVersions(c, outcome.passwordVersions);
      if (outcome.publish.length > 0) await this.publishInTx(c, [outcome.publish], hubTime, wake);
      await writeDeviceExchanges(c, outcome.devices, received);
      for (const x of outcome.devices) this.seenNow(x.deviceId, hubTime.getTime());
      return outcome.results;
    });
  }

  async auditHead(deviceId: string): Promise<AuditHeadRow | null> {
    const { rows } = await this.pool.query<{ audit_seq: string | null; audit_hash: string | null; audit_at: string | null }>('SELECT audit_seq, audit_hash, audit_at FROM devices WHERE device_id = $1', [deviceId]);
    const row = rows[0];
    return row && row.audit_seq !== null ? { deviceId, seq: Number(row.audit_seq), hash: row.audit_hash ?? '', at: row.audit_at ?? '' } : null;
  }

  async *events(filter: EventFilter = {}): AsyncIterable<StoredEvent> {
    for (let after = 0; ; ) {
      const { rows } = await this.pool.query<EventDbRow>(
        `SELECT n, id, device_id, office, type, at, device_time, received_at, status, detail, data FROM events
         WHERE n > $1 AND ($2::text IS NULL OR device_id = $2) AND ($3::text IS NULL OR status = $3) ORDER BY n LIMIT $4`,
        [after, filter.deviceId ?? null, filter.status ?? null, EVENTS_PAGE],
      );
      for (const row of rows) yield storedEvent(row);
      if (rows.length < EVENTS_PAGE) return;
      after = Number(rows.at(-1)!.n);
    }
  }

  async devices(): Promise<DeviceRow[]> {
    const { rows } = await this.pool.query<DeviceDbRow>(
      'SELECT d.*, (SELECT count(*) FROM tokens t WHERE t.device_id = d.device_id AND t.revoked_at IS NULL) AS active_tokens FROM devices d ORDER BY d.device_id',
    );
    return rows.map(deviceRow);
  }

  protected async loadSigningKey(): Promise<{ kid: string; seedBase64: string }> {
    const { rows } = await this.pool.query<{ kid: string; seed: string }>('SELECT kid, seed FROM signing_keys ORDER BY created_at DESC LIMIT 1');
    if (!rows[0]) throw new KioskError('the hub has no signing key', 'DATABASE');
    return { kid: rows[0].kid, seedBase64: rows[0].seed };
  }

  async close(): Promise<void> {
    this.stopListening();
    await this.flushTouches();
    await this.listener.stop();
    await this.pool.end();
  }
}

/** A database URL for logs: no password. */
export function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'an unparsable DATABASE_URL';
  }
}
