// One station's part in the office log (Raft). Every station holds the whole log and applies it to
// its own copy of the office state; one of them, the leader ("queue holder"), orders new entries,
// and an entry counts once a majority of stations hold it. When the leader is lost, the others
// elect a new one within about a second, and nothing a majority held is lost.
//
// Additions to the paper's core, both from Ongaro's thesis: a pre-vote round (a station that was cut
// off does not force a new election when it comes back) and single-server membership changes.
import { randomInt } from 'node:crypto';
import {
  termWithinReach,
  NotLeaderError,
  type AppendRequest,
  type AppendResponse,
  type EntryBody,
  type LogEntry,
  type Member,
  type RaftStorage,
  type RaftTransport,
  type SnapshotRequest,
  type SnapshotResponse,
  type StateMachine,
  type VoteRequest,
  type VoteResponse,
} from './types.js';

export type Role = 'follower' | 'candidate' | 'leader';

export interface RaftLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RaftNodeOptions {
  id: string;
  storage: RaftStorage;
  machine: StateMachine;
  transport: RaftTransport;
  /** How often a leader speaks up when it has nothing to send (default 50 ms). */
  heartbeatMs?: number;
  /** A follower that hears no leader for a random time in this range starts an election (default 300–600 ms). */
  electionTimeoutMs?: [number, number];
  /** Entries applied between snapshots (default 1000). */
  snapshotEvery?: number;
  /** At most this much in one AppendEntries (default 256 KiB). */
  maxAppendBytes?: number;
  now?: () => Date;
  logger?: RaftLogger;
  /** The role or the known leader changed. */
  onChange?: (role: Role, leader: Member | null) => void;
}

interface Waiter {
  term: number;
  resolve: (result: unknown) => void;
  reject: (e: Error) => void;
}

export class RaftNode {
  private role: Role = 'follower';
  private leaderId: string | null = null;
  private commitIndex = 0;
  private lastLeaderContact = 0;
  private electionTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly nextIndex = new Map<string, number>();
  private readonly matchIndex = new Map<string, number>();
  private readonly sending = new Map<string, 'busy' | 'again'>();
  /** When each member last answered this leader. */
  private readonly lastAck = new Map<string, number>();
  private readonly waiters = new Map<number, Waiter>();
  private stopped = true;
  private readonly heartbeatMs: number;
  private readonly electionMs: [number, number];

  constructor(private readonly o: RaftNodeOptions) {
    this.heartbeatMs = o.heartbeatMs ?? 50;
    this.electionMs = o.electionTimeoutMs ?? [300, 600];
  }

  get id(): string {
    return this.o.id;
  }

  /** Start as a follower; a station alone in its configuration leads at once. */
  start(): void {
    this.stopped = false;
    this.commitIndex = Math.max(this.commitIndex, this.o.machine.lastApplied());
    this.becomeFollower(this.o.storage.hardState().term, null);
  }

  stop(): void {
    this.stopped = true;
    this.role = 'follower';
    this.leaderId = null;
    clearTimeout(this.electionTimer);
    clearInterval(this.heartbeatTimer);
    this.failWaiters();
  }

  /** Found a new office log with this station as its only member (the first station, once). */
  found(self: Member): void {
    if (this.o.storage.last().index > 0) return;
    this.o.storage.setHardState(1, this.o.id);
    this.o.storage.append([{ index: 1, term: 1, kind: 'config', members: [self] }]);
  }

  status(): { role: Role; term: number; leader: Member | null; commitIndex: number; lastIndex: number; members: Member[] } {
    return { role: this.role, term: this.o.storage.hardState().term, leader: this.leader(), commitIndex: this.commitIndex, lastIndex: this.o.storage.last().index, members: this.members() };
  }

  /** When this station last heard from a leader (ms since the epoch; 0: never since start). */
  lastLeaderContactAt(): number {
    return this.role === 'leader' ? Date.now() : this.lastLeaderContact;
  }

  leader(): Member | null {
    return this.members().find((m) => m.id === this.leaderId) ?? null;
  }

  members(): Member[] {
    return this.o.storage.latestConfig()?.members ?? [];
  }

  /** Append a command and resolve with the state machine's result once it is committed and applied here. */
  propose(command: unknown): Promise<unknown> {
    return this.appendAsLeader({ kind: 'command', at: (this.o.now?.() ?? new Date()).toISOString(), command });
  }

  /** Add a station to the voting members, or move it to a new URL (one change at a time). */
  addMember(member: Member): Promise<unknown> {
    const members = this.members();
    const known = members.find((m) => m.id === member.id);
    if (known && known.url === member.url) return Promise.resolve(undefined);
    return this.changeConfig([...members.filter((m) => m.id !== member.id), member]);
  }

  removeMember(id: string): Promise<unknown> {
    if (id === this.o.id) return Promise.reject(new Error('a station cannot remove itself'));
    return this.changeConfig(this.members().filter((m) => m.id !== id));
  }

  private changeConfig(members: Member[]): Promise<unknown> {
    const config = this.o.storage.latestConfig();
    if (config && config.index > this.commitIndex) return Promise.reject(new Error('another membership change is still under way'));
    return this.appendAsLeader({ kind: 'config', members });
  }

  private appendAsLeader(body: EntryBody): Promise<unknown> {
    if (this.stopped || this.role !== 'leader') return Promise.reject(new NotLeaderError(this.leader()));
    const term = this.o.storage.hardState().term;
    const index = this.o.storage.last().index + 1;
    this.o.storage.append([{ ...body, index, term } as LogEntry]);
    const done = new Promise<unknown>((resolve, reject) => this.waiters.set(index, { term, resolve, reject }));
    this.advanceCommit();
    this.replicateAll();
    return done;
  }

  // ------------------------------------------------------------------ RPCs from other stations

  handleVote(req: VoteRequest): VoteResponse {
    const { term } = this.o.storage.hardState();
    if (!termWithinReach(req.term, term)) return { term, granted: false };
    // A leader that was heard from lately is alive: a station asking for votes was cut off.
    if (this.role === 'leader' || Date.now() - this.lastLeaderContact < this.electionMs[0]) return { term, granted: false };
    const upToDate = this.logUpToDate(req.lastLogIndex, req.lastLogTerm);
    if (req.preVote) return { term, granted: upToDate };
    if (req.term > term) this.becomeFollower(req.term, null);
    const hard = this.o.storage.hardState();
    const granted = upToDate && (hard.votedFor === null || hard.votedFor === req.candidateId);
    if (granted) {
      this.o.storage.setHardState(hard.term, req.candidateId);
      this.resetElectionTimer();
    }
    return { term: hard.term, granted };
  }

  handleAppend(req: AppendRequest): AppendResponse {
    let { term } = this.o.storage.hardState();
    if (!termWithinReach(req.term, term)) return { term, success: false, matchIndex: 0 };
    if (req.term > term || this.role !== 'follower' || this.leaderId !== req.leaderId) this.becomeFollower(req.term, req.leaderId);
    term = req.term;
    this.lastLeaderContact = Date.now();
    this.resetElectionTimer();
    const storage = this.o.storage;
    const snapshotIndex = storage.firstIndex() - 1;
    if (req.prevLogIndex > storage.last().index) return { term, success: false, matchIndex: storage.last().index };
    if (req.prevLogIndex > snapshotIndex && storage.termAt(req.prevLogIndex) !== req.prevLogTerm) {
      return { term, success: false, matchIndex: Math.max(snapshotIndex, req.prevLogIndex - 1) };
    }
    const fresh: LogEntry[] = [];
    let truncateFrom: number | undefined;
    for (const entry of req.entries) {
      if (entry.index <= snapshotIndex) continue;
      if (fresh.length === 0 && truncateFrom === undefined) {
        const held = storage.termAt(entry.index);
        if (held === entry.term) continue; // already here
        if (held !== null) truncateFrom = entry.index; // a conflicting entry and all after it go
      }
      fresh.push(entry);
    }
    if (fresh.length > 0 || truncateFrom !== undefined) storage.append(fresh, truncateFrom);
    const lastNew = req.prevLogIndex + req.entries.length;
    if (req.leaderCommit > this.commitIndex) this.commitIndex = Math.min(req.leaderCommit, lastNew);
    this.applyCommitted();
    return { term, success: true, matchIndex: lastNew };
  }

  handleSnapshot(req: SnapshotRequest): SnapshotResponse {
    const { term } = this.o.storage.hardState();
    if (!termWithinReach(req.term, term)) return { term };
    // A snapshot replaces the log: one this station could not restore must not cost it its log.
    try {
      this.o.machine.checkSnapshot(req.state);
    } catch (e) {
      this.o.logger?.warn({ err: e, from: req.leaderId }, 'office log: refused a snapshot that cannot be restored');
      return { term };
    }
    if (req.term > term || this.role !== 'follower' || this.leaderId !== req.leaderId) this.becomeFollower(req.term, req.leaderId);
    this.lastLeaderContact = Date.now();
    this.resetElectionTimer();
    if (req.lastIncludedIndex <= this.o.machine.lastApplied()) return { term: req.term };
    this.o.storage.saveSnapshot({ lastIncludedIndex: req.lastIncludedIndex, lastIncludedTerm: req.lastIncludedTerm, members: req.members, state: req.state });
    this.o.machine.restore(req.state, req.lastIncludedIndex);
    this.commitIndex = Math.max(this.commitIndex, req.lastIncludedIndex);
    this.o.logger?.info({ index: req.lastIncludedIndex }, 'office log: installed a snapshot from the leader');
    return { term: req.term };
  }

  // ------------------------------------------------------------------ roles

  private becomeFollower(term: number, leaderId: string | null): void {
    const hard = this.o.storage.hardState();
    if (term > hard.term) this.o.storage.setHardState(term, null);
    const changed = this.role !== 'follower' || this.leaderId !== leaderId;
    if (this.role === 'leader') this.failWaiters();
    this.role = 'follower';
    this.leaderId = leaderId;
    clearInterval(this.heartbeatTimer);
    this.resetElectionTimer();
    if (changed) this.announce();
  }

  private becomeLeader(): void {
    this.role = 'leader';
    this.leaderId = this.o.id;
    clearTimeout(this.electionTimer);
    const next = this.o.storage.last().index + 1;
    for (const m of this.members()) {
      this.nextIndex.set(m.id, next);
      this.matchIndex.set(m.id, 0);
    }
    const term = this.o.storage.hardState().term;
    this.o.storage.append([{ index: next, term, kind: 'noop' }]);
    this.o.logger?.info({ term }, 'office log: this station holds the queue now');
    this.announce();
    const since = Date.now();
    for (const m of this.members()) this.lastAck.set(m.id, since);
    this.heartbeatTimer = setInterval(() => {
      if (!this.majorityHeard()) return this.stepDown();
      this.replicateAll();
    }, this.heartbeatMs);
    this.advanceCommit();
    this.replicateAll();
  }

  /**
   * A leader that has not heard from a majority for a whole election timeout may have been cut off
   * while the others elected someone else: it stops taking proposals (check quorum, thesis §6.2).
   */
  private majorityHeard(): boolean {
    const members = this.members();
    const window = this.electionMs[1];
    const now = Date.now();
    for (const m of members) if (!this.lastAck.has(m.id)) this.lastAck.set(m.id, now); // a new member gets a full window
    const heard = members.filter((m) => m.id === this.o.id || now - this.lastAck.get(m.id)! <= window).length;
    return heard >= Math.floor(members.length / 2) + 1;
  }

  private stepDown(): void {
    this.o.logger?.warn({ term: this.o.storage.hardState().term }, 'office log: no answer from most stations; giving up the queue');
    this.becomeFollower(this.o.storage.hardState().term, null);
  }

  private resetElectionTimer(): void {
    clearTimeout(this.electionTimer);
    if (this.stopped || this.role === 'leader') return;
    this.electionTimer = setTimeout(() => void this.campaign(), randomInt(this.electionMs[0], this.electionMs[1] + 1));
  }

  /** Pre-vote, then a real election; a station outside the configuration never campaigns. */
  private async campaign(): Promise<void> {
    const members = this.members();
    if (this.stopped || !members.some((m) => m.id === this.o.id)) return this.resetElectionTimer();
    if (!(await this.ballot(true)) || this.stopped) return this.resetElectionTimer();
    const { term } = this.o.storage.hardState();
    this.o.storage.setHardState(term + 1, this.o.id);
    this.role = 'candidate';
    this.leaderId = null;
    this.resetElectionTimer(); // a split vote: try again later
    if ((await this.ballot(false)) && !this.stopped) {
      if (this.role === 'candidate' && this.o.storage.hardState().term === term + 1) this.becomeLeader();
    }
  }

  /** Ask every other member; true when a majority (this station included) grants. */
  private async ballot(preVote: boolean): Promise<boolean> {
    const members = this.members();
    const { term } = this.o.storage.hardState();
    const last = this.o.storage.last();
    const request: VoteRequest = { term: preVote ? term + 1 : term, candidateId: this.o.id, lastLogIndex: last.index, lastLogTerm: last.term, preVote };
    const needed = Math.floor(members.length / 2) + 1;
    let granted = 1;
    if (granted >= needed) return true;
    const others = members.filter((m) => m.id !== this.o.id);
    return new Promise<boolean>((resolve) => {
      let answered = 0;
      for (const m of others) {
        this.o.transport
          .requestVote(m, request)
          .then((r) => {
            if (this.stopped) return;
            if (r.term > this.o.storage.hardState().term && !preVote) this.becomeFollower(r.term, null);
            if (r.granted) granted++;
          })
          .catch(() => undefined)
          .finally(() => {
            answered++;
            if (granted >= needed) resolve(true);
            else if (answered === others.length) resolve(false);
          });
      }
    });
  }

  private logUpToDate(lastIndex: number, lastTerm: number): boolean {
    const mine = this.o.storage.last();
    return lastTerm > mine.term || (lastTerm === mine.term && lastIndex >= mine.index);
  }

  // ------------------------------------------------------------------ replication (leader)

  private replicateAll(): void {
    if (this.role !== 'leader') return;
    for (const m of this.members()) if (m.id !== this.o.id) void this.replicate(m);
  }

  /** Bring one member up to date; one exchange in flight per member, repeated while there is more. */
  private async replicate(member: Member): Promise<void> {
    if (this.sending.get(member.id)) {
      this.sending.set(member.id, 'again');
      return;
    }
    this.sending.set(member.id, 'busy');
    try {
      for (let more = true; more && this.role === 'leader' && !this.stopped; ) {
        more = await this.sendOnce(member);
        if (this.sending.get(member.id) === 'again') {
          this.sending.set(member.id, 'busy');
          more = true;
        }
      }
    } catch {
      // Unreachable for now: the next heartbeat tries again.
    } finally {
      this.sending.delete(member.id);
    }
  }

  /** One AppendEntries (or snapshot) to a member; true when there is more to send now. */
  private async sendOnce(member: Member): Promise<boolean> {
    const storage = this.o.storage;
    const term = storage.hardState().term;
    if (!this.nextIndex.has(member.id)) {
      this.nextIndex.set(member.id, storage.last().index + 1);
      this.matchIndex.set(member.id, 0);
    }
    const next = this.nextIndex.get(member.id)!;
    const prevLogIndex = next - 1;
    const prevLogTerm = storage.termAt(prevLogIndex);
    if (prevLogTerm === null || next < storage.firstIndex()) return this.sendSnapshot(member, term);
    const last = storage.last().index;
    const entries = next <= last ? storage.entries(next, last, this.o.maxAppendBytes ?? 256 * 1024) : [];
    const r = await this.o.transport.appendEntries(member, { term, leaderId: this.o.id, prevLogIndex, prevLogTerm, entries, leaderCommit: this.commitIndex });
    if (this.stopped) return false;
    if (r.term > term) {
      this.becomeFollower(r.term, null);
      return false;
    }
    if (this.role !== 'leader' || storage.hardState().term !== term) return false;
    this.lastAck.set(member.id, Date.now());
    if (r.success) {
      this.matchIndex.set(member.id, Math.max(this.matchIndex.get(member.id) ?? 0, r.matchIndex));
      this.nextIndex.set(member.id, r.matchIndex + 1);
      this.advanceCommit();
      return r.matchIndex < storage.last().index;
    }
    this.nextIndex.set(member.id, Math.max(1, Math.min(next - 1, r.matchIndex + 1)));
    return true;
  }

  private async sendSnapshot(member: Member, term: number): Promise<boolean> {
    const snapshot = this.o.storage.snapshot();
    if (!snapshot) return false;
    const r = await this.o.transport.installSnapshot(member, { term, leaderId: this.o.id, ...snapshot });
    if (this.stopped) return false;
    if (r.term > term) {
      this.becomeFollower(r.term, null);
      return false;
    }
    this.lastAck.set(member.id, Date.now());
    this.matchIndex.set(member.id, snapshot.lastIncludedIndex);
    this.nextIndex.set(member.id, snapshot.lastIncludedIndex + 1);
    return true;
  }

  /** Commit the highest entry of this term that a majority holds, then apply. */
  private advanceCommit(): void {
    if (this.role !== 'leader') return;
    const storage = this.o.storage;
    const term = storage.hardState().term;
    const members = this.members();
    const needed = Math.floor(members.length / 2) + 1;
    const before = this.commitIndex;
    for (let n = storage.last().index; n > this.commitIndex; n--) {
      if (storage.termAt(n) !== term) break; // only an entry of this term commits by counting (§5.4.2)
      const holders = members.filter((m) => m.id === this.o.id || (this.matchIndex.get(m.id) ?? 0) >= n).length;
      if (holders >= needed) {
        this.commitIndex = n;
        break;
      }
    }
    if (this.commitIndex > before) {
      this.applyCommitted();
      this.replicateAll(); // tell the followers at once, rather than at the next heartbeat
    }
  }

  private applyCommitted(): void {
    const { machine, storage } = this.o;
    while (machine.lastApplied() < this.commitIndex) {
      const index = machine.lastApplied() + 1;
      const [entry] = storage.entries(index, index, Number.MAX_SAFE_INTEGER);
      if (!entry) break; // behind a snapshot install; the leader will send what is missing
      let result: unknown;
      try {
        if (entry.kind === 'command') result = machine.apply(entry);
        else machine.skip(index);
      } catch (e) {
        // A state machine that cannot apply a committed entry would drift from the others: stop.
        this.o.logger?.warn({ err: e, index }, 'office log: an entry could not be applied; this station stops taking part');
        this.stop();
        return;
      }
      const waiter = this.waiters.get(index);
      if (waiter) {
        this.waiters.delete(index);
        if (waiter.term === entry.term) waiter.resolve(result);
        else waiter.reject(new NotLeaderError(this.leader()));
      }
    }
    this.maybeSnapshot();
  }

  private maybeSnapshot(): void {
    const { machine, storage } = this.o;
    const applied = machine.lastApplied();
    if (applied - (storage.firstIndex() - 1) < (this.o.snapshotEvery ?? 1000)) return;
    const term = storage.termAt(applied);
    if (term === null) return;
    storage.saveSnapshot({ lastIncludedIndex: applied, lastIncludedTerm: term, members: storage.configAt(applied), state: machine.takeSnapshot() });
  }

  private failWaiters(): void {
    for (const [index, w] of this.waiters) {
      this.waiters.delete(index);
      w.reject(new NotLeaderError(this.leader()));
    }
  }

  private announce(): void {
    this.o.onChange?.(this.role, this.leader());
  }
}
