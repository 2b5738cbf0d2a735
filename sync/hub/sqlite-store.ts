// The hub on SQLite (better-sqlite3, WAL): one file in the hub's data directory, 0600 in a 0700
// directory. SQLite has one writer at a time, so feed seqs become visible in seq order by
// themselves. Another process writing the same file (`kiosk hub publish`) is noticed by polling
// PRAGMA data_version, which costs microseconds, only while long-polls are waiting.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../daemon/store/db.js';
import { KioskError } from '../../daemon/errors.js';
import type { ChangeRecord } from '../../protocol/feed-records.js';
import type { EventResult, EventsRequest } from '../../protocol/sync.js';
import { factKeys, judgeGroup, type ApplicationData, type BatchFacts, type ReceiverData } from './event-judge.js';
import { lastPerKey, metaAsOf, planPublish, rowKey, pageEnd, WakeCollector, type PasswordVersionChange, type RowState } from './feed-plan.js';
import { prepare } from './sqlite-statements.js';
import { checkDeviceId, checkOffice, HubStoreBase, keyRecord, newIdentity } from './store-base.js';
import { hubSqliteMigrations } from './sqlite-schema.js';
import { looksLikeToken, newToken, tokenHash } from './tokens.js';
import type { AuditHeadRow, DeviceAuth, DeviceRow, EventBatch, EventFilter, FeedPage, HubInfo, HubStore, PageQuery, PublishResult, StoredEvent } from './types.js';
import { deviceRow, storedEvent } from './rows.js';

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
    try {
      store.initialise();
    } catch (e) {
      db.close();
      throw new KioskError(`hub database ${file}: ${(e as Error).message}`, 'DATABASE', { file });
    }
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
