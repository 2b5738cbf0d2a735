// The office log's consensus (Raft, as in Ongaro & Ousterhout, "In Search of an Understandable
// Consensus Algorithm", with pre-vote and single-server membership changes from Ongaro's thesis):
// the entries, the cluster configuration, and the messages between stations, as zod schemas both
// ends validate with.
import { z } from 'zod';

/** A station of the office: its id (the device id) and where its office API listens. */
export const member = z.object({ id: z.string().regex(/^[\w.-]{1,64}$/), url: z.url({ protocol: /^https?$/ }) });
export type Member = z.infer<typeof member>;

/**
 * Terms only grow by elections, one or two at a time: a message claiming a term this far beyond a
 * station's own is refused, and no term comes near 2^53 (where term + 1 stops being a number a
 * peer can check). A station token in the wrong hands could otherwise wedge every election.
 */
export const MAX_TERM_STEP = 1_000_000;

/** A message's term this station may act on: not behind its own, and not absurdly far ahead (MAX_TERM_STEP). */
export function termWithinReach(messageTerm: number, ownTerm: number): boolean {
  return messageTerm >= ownTerm && messageTerm <= ownTerm + MAX_TERM_STEP;
}
const term = z.number().int().min(0).max(2 ** 40);

export const logEntry = z.discriminatedUnion('kind', [
  /** A new leader's first entry: it commits what earlier terms left uncommitted. */
  z.object({ index: z.number().int().min(1), term: term.min(1), kind: z.literal('noop') }),
  /** The voting members from this entry on (it takes effect as soon as it is in a log). */
  z.object({ index: z.number().int().min(1), term: term.min(1), kind: z.literal('config'), members: z.array(member).min(1) }),
  /** A state-machine command, opaque here; `at` is the leader's clock when it was appended. */
  z.object({ index: z.number().int().min(1), term: term.min(1), kind: z.literal('command'), at: z.iso.datetime({ offset: true }), command: z.unknown() }),
]);
export type LogEntry = z.infer<typeof logEntry>;
export type EntryBody = LogEntry extends infer E ? (E extends LogEntry ? Omit<E, 'index' | 'term'> : never) : never;

export const voteRequest = z.object({
  term,
  candidateId: z.string(),
  lastLogIndex: z.number().int().min(0),
  lastLogTerm: z.number().int().min(0),
  /** A pre-vote asks "would you vote for me?" without anyone changing term. */
  preVote: z.boolean(),
});
export type VoteRequest = z.infer<typeof voteRequest>;
export const voteResponse = z.object({ term, granted: z.boolean() });
export type VoteResponse = z.infer<typeof voteResponse>;

export const appendRequest = z.object({
  term: term.min(1),
  leaderId: z.string(),
  prevLogIndex: z.number().int().min(0),
  prevLogTerm: z.number().int().min(0),
  /** The leader sends at most 256 KB of entries at a time. */
  entries: z.array(logEntry).max(10_000),
  leaderCommit: z.number().int().min(0),
});
export type AppendRequest = z.infer<typeof appendRequest>;
export const appendResponse = z.object({
  term,
  success: z.boolean(),
  /** On success the last index the follower holds from this leader; on failure a hint where to go back to. */
  matchIndex: z.number().int().min(0),
});
export type AppendResponse = z.infer<typeof appendResponse>;

export const snapshotRequest = z.object({
  term: term.min(1),
  leaderId: z.string(),
  lastIncludedIndex: z.number().int().min(1),
  lastIncludedTerm: z.number().int().min(1),
  members: z.array(member).min(1),
  /** The state machine's own serialisation. */
  state: z.unknown(),
});
export type SnapshotRequest = z.infer<typeof snapshotRequest>;
export const snapshotResponse = z.object({ term });
export type SnapshotResponse = z.infer<typeof snapshotResponse>;

export interface Snapshot {
  lastIncludedIndex: number;
  lastIncludedTerm: number;
  members: Member[];
  state: unknown;
}

/** How a node reaches the others; each call may fail (throw) or time out. */
export interface RaftTransport {
  requestVote(to: Member, request: VoteRequest): Promise<VoteResponse>;
  appendEntries(to: Member, request: AppendRequest): Promise<AppendResponse>;
  installSnapshot(to: Member, request: SnapshotRequest): Promise<SnapshotResponse>;
}

/** What the node keeps durably: term and vote, the log, and the latest snapshot. */
export interface RaftStorage {
  hardState(): { term: number; votedFor: string | null };
  setHardState(term: number, votedFor: string | null): void;
  /** The index and term of the last entry (or of the snapshot when the log after it is empty). */
  last(): { index: number; term: number };
  /** The term of the entry at `index`; 0 for index 0; null when it is compacted away or missing. */
  termAt(index: number): number | null;
  entries(from: number, toInclusive: number, maxBytes: number): LogEntry[];
  /** Append in one transaction, first dropping every entry from `truncateFrom` on (a conflict). */
  append(entries: readonly LogEntry[], truncateFrom?: number): void;
  /** The latest configuration entry in the log (committed or not), else the snapshot's members. */
  latestConfig(): { index: number; members: Member[] } | null;
  /** The configuration in force at `index` (the latest one at or before it). */
  configAt(index: number): Member[];
  snapshot(): Snapshot | null;
  /** Keep a snapshot and drop the log up to it (entries after it stay when they agree). */
  saveSnapshot(snapshot: Snapshot): void;
  firstIndex(): number;
}

/** The replicated state machine: entries are applied in order, exactly once each. */
export interface StateMachine {
  /** The last index applied (kept durably with the state, in the same transaction). */
  lastApplied(): number;
  /** Apply one committed command; its result goes back to whoever proposed it. */
  apply(entry: Extract<LogEntry, { kind: 'command' }>): unknown;
  /** Mark a noop or config entry applied. */
  skip(index: number): void;
  takeSnapshot(): unknown;
  /** Throws unless `state` is a snapshot this machine could restore: checked before the log is dropped for it. */
  checkSnapshot(state: unknown): void;
  restore(state: unknown, lastIncludedIndex: number): void;
}

export class NotLeaderError extends Error {
  constructor(readonly leader: Member | null) {
    super(leader ? `not the queue holder: ${leader.id} is` : 'no queue holder is known right now');
    this.name = 'NotLeaderError';
  }
}
