// What a hub store is, whichever engine holds it (SQLite file or PostgreSQL database). The HTTP
// server, the CLI and the daemon's demo only ever see this interface.
import type { ChangeRecord } from '../../protocol/feed-records.js';
import type { EventResult, EventsRequest, EventStatus, EventType } from '../../protocol/sync.js';
import type { SigningKey } from '../issuing/kq1-issuer.js';
import type { MintInput } from './codes.js';

export type Engine = 'sqlite' | 'postgres';

/** What a feed change touched: application records of these offices, or (`all`) anything else too. */
export type FeedWake = { offices: ReadonlySet<string> } | { all: true };

export interface PageQuery {
  since: number;
  limit: number;
  /** Leave out other offices' applications. */
  office: string | undefined;
}

/** One page of the compacted feed, read in one snapshot. */
export interface FeedPage {
  head: number;
  next: number;
  more: boolean;
  /** How many records the page holds. */
  count: number;
  /** The records' JSON in seq order, comma-separated UTF-8: spliced into the answer as it is. */
  body: Buffer;
  /** `asOf` of the current meta/feed record, when one was published with it. */
  metaAsOf: string | null;
}

export interface PublishResult {
  /** Records that changed the feed (each got a new seq). */
  changed: number;
  /** Records equal to what the feed already held: nothing happened. */
  unchanged: number;
  head: number;
}

/** The device a token belongs to; `office` is set when the token was bound to one at enrolment. */
export interface DeviceAuth {
  deviceId: string;
  office: string | null;
}

export interface AuditHeadRow {
  deviceId: string;
  seq: number;
  hash: string;
  /** Hub time when the hub received it. */
  at: string;
}

export interface DeviceRow {
  deviceId: string;
  office: string | null;
  enrolledAt: string;
  /** Tokens that still work (0: revoked). */
  activeTokens: number;
  lastSeenAt: string | null;
  /** The device's clock and the hub's at the device's latest events batch. */
  deviceTime: string | null;
  hubTime: string | null;
  /** deviceTime − hubTime in ms: positive means the device clock is ahead. */
  skewMs: number | null;
  auditHead: AuditHeadRow | null;
}

export interface StoredEvent {
  id: string;
  deviceId: string;
  office: string;
  type: EventType;
  at: string;
  deviceTime: string;
  receivedAt: string;
  status: Exclude<EventStatus, 'duplicate'>;
  detail: unknown;
  data: Record<string, unknown>;
}

export interface EventFilter {
  deviceId?: string;
  status?: 'applied' | 'conflict';
}

/** One POST /sync/v1/events: the body, from the device its token names. */
export interface EventBatch {
  device: DeviceAuth;
  request: EventsRequest;
}

export interface HubInfo {
  feedId: string;
  head: number;
  kid: string;
}

export interface HubStore {
  readonly engine: Engine;
  /** For logs: the file or the database (without a password). */
  readonly location: string;
  info(): Promise<HubInfo>;
  /** Append records (checked with checkRecord) in one transaction; their own seqs are ignored. */
  publish(records: readonly ChangeRecord[]): Promise<PublishResult>;
  /** Same, for a source read in chunks inside the one transaction (large files). */
  publishChunks(chunks: Iterable<readonly ChangeRecord[]>): Promise<PublishResult>;
  page(query: PageQuery): Promise<FeedPage>;
  /** Make sure feed changes by other processes are reported from now on (a serving hub calls it at start). */
  listen(): Promise<void>;
  /** Called after every committed feed change, from this process or another. */
  subscribe(listener: (wake: FeedWake) => void): () => void;
  /** A new token for the device (earlier ones stop working); only its hash is stored. */
  enroll(deviceId: string, office: string | null): Promise<string>;
  /** Revoke every token of the device; false when it has none that works. */
  revoke(deviceId: string): Promise<boolean>;
  authenticate(token: string): Promise<DeviceAuth | null>;
  /** Note that the device was seen now (cheap; may be skipped when seen a moment ago). */
  touch(deviceId: string): Promise<void>;
  /** Store, judge and apply batches of events (in order) in one transaction: the answers per batch. */
  recordEvents(batches: readonly EventBatch[], hubTime: Date): Promise<EventResult[][]>;
  auditHead(deviceId: string): Promise<AuditHeadRow | null>;
  events(filter?: EventFilter): AsyncIterable<StoredEvent>;
  devices(): Promise<DeviceRow[]>;
  signingKey(): Promise<SigningKey>;
  /** Mint a KQ1 code with the hub's key. */
  mint(input: MintInput): Promise<string>;
  close(): Promise<void>;
}
