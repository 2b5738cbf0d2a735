// The hub on SQLite (better-sqlite3, WAL): one file in the hub's data directory, 0600 in a 0700
// directory. SQLite has one writer at a time, so feed seqs become visible in seq order by
// themselves. Another process writing the same file (`kiosk hub publish`) is noticed by polling
// PRAGMA data_version, which costs microseconds, only while long-polls are waiting.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Statement } from 'better-sqlite3';
import { openDatabase, type Db } from '../../daemon/store/db.js';
import { KioskError } from '../../daemon/errors.js';
import type { ChangeRecord } from '../../protocol/feed-records.js';
import type { EventResult, EventsRequest } from '../../protocol/sync.js';
import { factKeys, judgeGroup, type ApplicationData, type BatchFacts, type ReceiverData } from './event-judge.js';
import { lastPerKey, metaAsOf, planPublish, rowKey, pageEnd, recordJsonSql, OFFICE_SCOPE_SQL, WakeCollector, type PasswordVersionChange, type RowState } from './feed-plan.js';
import { checkDeviceId, checkOffice, HubStoreBase, keyRecord, newIdentity } from './store-base.js';
import { hubSqliteMigrations } from './sqlite-schema.js';
import { looksLikeToken, newToken, tokenHash } from './tokens.js';
import type { AuditHeadRow, DeviceAuth, DeviceRow, EventBatch, EventFilter, FeedPage, HubInfo, HubStore, PageQuery, PublishResult, StoredEvent } from './types.js';
import { deviceRow, storedEvent, type DeviceDbRow, type EventDbRow } from './rows.js';

export const HUB_DB_FILE = 'hub.sqlite';
/** How often another process's commits are looked for while long-polls wait. */
const DATA_VERSION_POLL_MS = 50;
const EVENTS_PAGE = 1000;

export interface SqliteStoreOptions {
  /** Refuse to create a new hub where none is (commands that only read or use an existing one). */
  mustExist?: boolean;
  /** How long a write waits for another process's (ms). Short in a serving hub: the event loop waits too. */
  busyTimeoutMs?: number;
}

export class SqliteHubStore extends HubStoreBase implements HubStore {
  readonly engine = 'sqlite' as const;
  private readonly s: ReturnType<typeof prepare>;
  private poll: NodeJS.Timeout | null = null;
  private dataVersion = 0;

  private constructor(
    private readonly db: Db,
    readonly location: string,
  ) {
    super();
    this.s = prepare(db);
  }

  static open(dataDir: string, options: SqliteStoreOptions = {}): SqliteHubStore {
    const file = join(dataDir, HUB_DB_FILE);
    if (options.mustExist && !existsSync(file)) throw new KioskError(`no hub in ${dataDir} (start one with: kiosk hub --data ${dataDir})`, 'USAGE', { dataDir });
    let db: Db;
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      chmodSync(dataDir, 0o700);
      // Created 0600 before SQLite opens it: its -wal and -shm files take the same mode.
      closeSync(openSync(file, 'a', 0o600));
      chmodSync(file, 0o600);
      db = openDatabase(file, [hubSqliteMigrations]);
    } catch (e) {
      throw new KioskError(`hub data directory ${dataDir}: ${(e as Error).message}`, 'CONFIG_INVALID', { dataDir });
    }
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    const store = new SqliteHubStore(db, file);
    store.initialise();
    return store;
  }

  /** The feed id and signing key, made once with the storage (and the key published). */
  private initialise(): void {
    this.db
      .transaction(() => {
        if (this.s.meta.get('feed_id')) return;
        const identity = newIdentity();
        this.s.setMeta.run('feed_id', identity.feedId);
        this.s.insertKey.run(identity.kid, identity.seedBase64, identity.createdAt);
        this.publishInTx([[keyRecord(identity)]], new Date());
      })
      .immediate();
  }

  async info(): Promise<HubInfo> {
    const key = await this.signingKey();
    return { feedId: this.s.meta.get('feed_id')?.value ?? '', head: this.s.head.get()?.head ?? 0, kid: key.kid };
  }

  async publish(records: readonly ChangeRecord[]): Promise<PublishResult> {
    return this.publishChunks([records]);
  }

  async publishChunks(chunks: Iterable<readonly ChangeRecord[]>): Promise<PublishResult> {
    const wake = new WakeCollector();
    const result = this.db.transaction(() => this.publishInTx(chunks, new Date(), wake)).immediate();
    this.emit(wake.result());
    return result;
  }

  private publishInTx(chunks: Iterable<readonly ChangeRecord[]>, now: Date, wake = new WakeCollector()): PublishResult {
    let head = this.s.head.get()?.head ?? 0;
    let changed = 0;
    let unchanged = 0;
    for (const chunk of chunks) {
      const records = lastPerKey(chunk);
      const existing = new Map<string, RowState>();
      for (const r of records) {
        const row = this.s.row.get(r.entity, r.id);
        if (row) existing.set(rowKey(r.entity, r.id), row);
      }
      const plan = planPublish(records, existing, head, now);
      for (const w of plan.writes) this.s.writeRow.run(w.seq, w.entity, w.id, w.op, w.office, w.prevOffice, w.data);
      this.insertPasswordVersions(plan.passwordVersions);
      wake.merge(plan.wake);
      head = plan.head;
      changed += plan.writes.length;
      unchanged += plan.unchanged;
    }
    return { changed, unchanged, head };
  }

  private insertPasswordVersions(changes: readonly PasswordVersionChange[]): void {
    for (const c of changes) this.s.insertPasswordVersion.run(c.receiverId, c.version, c.changedAt);
  }

  async page(query: PageQuery): Promise<FeedPage> {
    // One read transaction: head and rows from the same snapshot, so `next` never skips a row.
    return this.db.transaction(() => {
      const head = this.s.head.get()?.head ?? 0;
      const meta = metaAsOf(this.s.metaFeed.get()?.data);
      const { office, since, limit } = query;
      const [count, last, body] = (office === undefined ? this.s.pageAll.get(since, limit) : this.s.pageOffice.get(since, office, office, limit))!;
      // Whether more follow is asked only of a full page (the scan to find none can be long).
      const follows = count >= limit && last !== null && Boolean(office === undefined ? this.s.moreAll.get(last) : this.s.moreOffice.get(last, office, office));
      const { more, next } = pageEnd(query, head, count, last, follows);
      return { head, next, more, count, body: body ?? Buffer.alloc(0), metaAsOf: meta };
    })();
  }

  /** Other processes' commits are polled for while someone listens (watchOthers): nothing to prepare. */
  async listen(): Promise<void> {}

  protected watchOthers(on: boolean): void {
    if (on && !this.poll) {
      this.dataVersion = this.currentDataVersion();
      this.poll = setInterval(() => {
        const version = this.currentDataVersion();
        if (version === this.dataVersion) return;
        this.dataVersion = version;
        this.emit({ all: true }); // which offices another process touched is not known here
      }, DATA_VERSION_POLL_MS);
      this.poll.unref();
    } else if (!on && this.poll) {
      clearInterval(this.poll);
      this.poll = null;
    }
  }

  private currentDataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  async enroll(deviceId: string, office: string | null): Promise<string> {
    checkDeviceId(deviceId);
    checkOffice(office);
    const token = newToken();
    const now = new Date().toISOString();
    this.db
      .transaction(() => {
        this.s.upsertDevice.run(deviceId, office, now);
        this.s.revokeTokens.run(now, deviceId);
        this.s.insertToken.run(tokenHash(token), deviceId, now);
      })
      .immediate();
    return token;
  }

  async revoke(deviceId: string): Promise<boolean> {
    this.forgetSeen(deviceId);
    return this.s.revokeTokens.run(new Date().toISOString(), deviceId).changes > 0;
  }

  async authenticate(token: string): Promise<DeviceAuth | null> {
    if (!looksLikeToken(token)) return null;
    const row = this.s.auth.get(tokenHash(token));
    return row ? { deviceId: row.device_id, office: row.office } : null;
  }

  protected async writeLastSeen(deviceIds: readonly string[], at: string): Promise<void> {
    if (!this.db.open) return;
    this.db.transaction(() => {
      for (const id of deviceIds) this.s.touch.run(at, id);
    })();
  }

  async recordEvents(batches: readonly EventBatch[], hubTime: Date): Promise<EventResult[][]> {
    const wake = new WakeCollector();
    const received = hubTime.toISOString();
    const results = this.db
      .transaction(() => {
        const outcome = judgeGroup(batches, this.loadFacts(batches.map((b) => b.request)), hubTime);
        for (const e of outcome.inserts) {
          const { event } = e;
          this.s.insertEvent.run(event.id, e.deviceId, e.office, event.type, e.at, event.deviceTime, received, e.status, e.detail ? JSON.stringify(e.detail) : null, JSON.stringify(event.data), e.subject);
        }
        // The events' own password versions (with their times) go in before the publish's.
        this.insertPasswordVersions(outcome.passwordVersions);
        if (outcome.publish.length > 0) this.publishInTx([outcome.publish], hubTime, wake);
        for (const d of outcome.devices) {
          this.s.deviceExchange.run({ device: d.deviceId, hub: received, deviceTime: d.deviceTime, skew: d.skewMs, seq: d.auditHead?.seq ?? null, hash: d.auditHead?.hash ?? null });
          this.seenNow(d.deviceId, hubTime.getTime());
        }
        return outcome.results;
      })
      .immediate();
    this.emit(wake.result());
    return results;
  }

  private loadFacts(requests: readonly EventsRequest[]): BatchFacts {
    const keys = factKeys(requests);
    const facts: BatchFacts = { existing: new Map(), applications: new Map(), receivers: new Map(), collectedBy: new Map(), passwordChanges: new Map() };
    for (const id of keys.eventIds) {
      const row = this.s.knownEvent.get(id);
      if (row) facts.existing.set(id, { deviceId: row.device_id, status: row.status, detail: row.detail ? JSON.parse(row.detail) : null });
    }
    for (const receipt of keys.receipts) {
      const row = this.s.current.get('application', receipt);
      if (row) facts.applications.set(receipt, JSON.parse(row.data) as ApplicationData);
      const by = this.s.collectedBy.get(receipt);
      if (by) facts.collectedBy.set(receipt, { deviceId: by.device_id, at: by.at });
    }
    for (const receiverId of keys.receivers) {
      const row = this.s.current.get('receiver', receiverId);
      if (row) facts.receivers.set(receiverId, JSON.parse(row.data) as ReceiverData);
      facts.passwordChanges.set(
        receiverId,
        this.s.passwordVersions.all(receiverId).map((v) => ({ receiverId, version: v.version, changedAt: v.changed_at })),
      );
    }
    return facts;
  }

  async auditHead(deviceId: string): Promise<AuditHeadRow | null> {
    const row = this.s.auditHead.get(deviceId);
    return row && row.audit_seq !== null ? { deviceId, seq: row.audit_seq, hash: row.audit_hash ?? '', at: row.audit_at ?? '' } : null;
  }

  async *events(filter: EventFilter = {}): AsyncIterable<StoredEvent> {
    // Keyset pages, so no statement stays open while the caller awaits.
    for (let after = 0; ; ) {
      const rows = this.s.events.all({ after, device: filter.deviceId ?? null, status: filter.status ?? null, limit: EVENTS_PAGE });
      for (const row of rows) yield storedEvent(row);
      if (rows.length < EVENTS_PAGE) return;
      after = Number(rows.at(-1)!.n);
    }
  }

  async devices(): Promise<DeviceRow[]> {
    return this.s.devices.all().map(deviceRow);
  }

  protected async loadSigningKey(): Promise<{ kid: string; seedBase64: string }> {
    const row = this.s.key.get();
    if (!row) throw new KioskError('the hub has no signing key', 'DATABASE');
    return { kid: row.kid, seedBase64: row.seed };
  }

  async close(): Promise<void> {
    this.stopListening();
    await this.flushTouches();
    if (this.db.open) this.db.close();
  }
}

type PageRow = [count: number, last: number | null, body: Buffer | null];

/**
 * A page in one row: its count, last seq, and its records' JSON joined by SQLite and handed over
 * as bytes (a BLOB), so no JavaScript string is made of them on the way to the socket.
 */
const pageSql = (where: string) =>
  `SELECT count(*), max(seq), CAST(group_concat(j, ',' ORDER BY seq) AS BLOB)
   FROM (SELECT seq, ${recordJsonSql((e) => `json_quote(${e})`)} AS j FROM feed WHERE seq > ? ${where} ORDER BY seq LIMIT ?)`;

function prepare(db: Db) {
  const st = <P extends unknown[] | object, R>(sql: string) => db.prepare(sql) as Statement<P, R>;
  return {
    meta: st<[string], { value: string }>('SELECT value FROM hub_meta WHERE key = ?'),
    setMeta: st<[string, string], void>('INSERT INTO hub_meta (key, value) VALUES (?, ?)'),
    insertKey: st<[string, string, string], void>('INSERT INTO signing_keys (kid, seed, created_at) VALUES (?, ?, ?)'),
    key: st<[], { kid: string; seed: string }>('SELECT kid, seed FROM signing_keys ORDER BY created_at DESC LIMIT 1'),
    head: st<[], { head: number }>('SELECT coalesce(max(seq), 0) AS head FROM feed'),
    row: st<[string, string], RowState>('SELECT seq, op, office, prev_office AS prevOffice, data FROM feed WHERE entity = ? AND id = ?'),
    current: st<[string, string], { data: string }>("SELECT data FROM feed WHERE entity = ? AND id = ? AND op = 'upsert'"),
    metaFeed: st<[], { data: string | null }>("SELECT data FROM feed WHERE entity = 'meta' AND id = 'feed' AND op = 'upsert'"),
    writeRow: st<[number, string, string, string, string | null, string | null, string | null], void>(
      `INSERT INTO feed (seq, entity, id, op, office, prev_office, data) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (entity, id) DO UPDATE SET seq = excluded.seq, op = excluded.op, office = excluded.office, prev_office = excluded.prev_office, data = excluded.data`,
    ),
    pageAll: st<[number, number], PageRow>(pageSql('')).raw(),
    pageOffice: st<[number, string, string, number], PageRow>(pageSql(`AND ${OFFICE_SCOPE_SQL('?')}`)).raw(),
    moreAll: st<[number], number>('SELECT EXISTS (SELECT 1 FROM feed WHERE seq > ?)').pluck(),
    moreOffice: st<[number, string, string], number>(`SELECT EXISTS (SELECT 1 FROM feed WHERE seq > ? AND ${OFFICE_SCOPE_SQL('?')})`).pluck(),
    insertPasswordVersion: st<[string, number, string | null], void>('INSERT OR IGNORE INTO password_versions (receiver_id, version, changed_at) VALUES (?, ?, ?)'),
    passwordVersions: st<[string], { version: number; changed_at: string | null }>('SELECT version, changed_at FROM password_versions WHERE receiver_id = ? ORDER BY version'),
    upsertDevice: st<[string, string | null, string], void>(
      'INSERT INTO devices (device_id, office, enrolled_at) VALUES (?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET office = excluded.office',
    ),
    revokeTokens: st<[string, string], void>('UPDATE tokens SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL'),
    insertToken: st<[string, string, string], void>('INSERT INTO tokens (token_hash, device_id, created_at) VALUES (?, ?, ?)'),
    auth: st<[string], { device_id: string; office: string | null }>(
      'SELECT t.device_id, d.office FROM tokens t JOIN devices d ON d.device_id = t.device_id WHERE t.token_hash = ? AND t.revoked_at IS NULL',
    ),
    touch: st<[string, string], void>('UPDATE devices SET last_seen_at = ? WHERE device_id = ?'),
    knownEvent: st<[string], { device_id: string; status: 'applied' | 'conflict'; detail: string | null }>('SELECT device_id, status, detail FROM events WHERE id = ?'),
    collectedBy: st<[string], { device_id: string; at: string }>(
      "SELECT device_id, at FROM events WHERE subject = ? AND type = 'pickup' AND status = 'applied' ORDER BY n DESC LIMIT 1",
    ),
    insertEvent: st<[string, string, string, string, string, string, string, string, string | null, string, string | null], void>(
      'INSERT INTO events (id, device_id, office, type, at, device_time, received_at, status, detail, data, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    // An audit head only moves forward: a device whose log was cut short cannot lower it.
    deviceExchange: st<[{ device: string; hub: string; deviceTime: string | null; skew: number | null; seq: number | null; hash: string | null }], void>(
      `UPDATE devices SET last_seen_at = :hub,
         device_time = coalesce(:deviceTime, device_time),
         hub_time = CASE WHEN :deviceTime IS NULL THEN hub_time ELSE :hub END,
         skew_ms = coalesce(:skew, skew_ms),
         audit_hash = CASE WHEN :seq IS NOT NULL AND (audit_seq IS NULL OR :seq > audit_seq) THEN :hash ELSE audit_hash END,
         audit_at = CASE WHEN :seq IS NOT NULL AND (audit_seq IS NULL OR :seq > audit_seq) THEN :hub ELSE audit_at END,
         audit_seq = CASE WHEN :seq IS NOT NULL AND (audit_seq IS NULL OR :seq > audit_seq) THEN :seq ELSE audit_seq END
       WHERE device_id = :device`,
    ),
    auditHead: st<[string], { audit_seq: number | null; audit_hash: string | null; audit_at: string | null }>('SELECT audit_seq, audit_hash, audit_at FROM devices WHERE device_id = ?'),
    events: st<[{ after: number; device: string | null; status: string | null; limit: number }], EventDbRow>(
      `SELECT n, id, device_id, office, type, at, device_time, received_at, status, detail, data FROM events
       WHERE n > :after AND (:device IS NULL OR device_id = :device) AND (:status IS NULL OR status = :status) ORDER BY n LIMIT :limit`,
    ),
    devices: st<[], DeviceDbRow>(
      `SELECT d.*, (SELECT count(*) FROM tokens t WHERE t.device_id = d.device_id AND t.revoked_at IS NULL) AS active_tokens FROM devices d ORDER BY d.device_id`,
    ),
  };
}
