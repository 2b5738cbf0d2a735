// This station's part in the office queue (docs/office.md): the office log (sync/raft) kept in the
// station's own SQLite file, applied to its own copy of the queue (queue-machine.ts), and the way
// a command gets into the log from here — appended at once when this station holds the queue,
// passed to the holder otherwise, tried again until a deadline while a holder is being elected.
import { setTimeout as sleep } from 'node:timers/promises';
import { RaftNode } from '../../sync/raft/node.js';
import { HttpRaftTransport, postToStation } from '../../sync/raft/http-transport.js';
import { SqliteRaftStorage } from '../../sync/raft/sqlite-storage.js';
import { NotLeaderError, type Member, type RaftTransport } from '../../sync/raft/types.js';
import type { DaemonContext } from '../context.js';
import { announced, type QueueRules } from '../counter/queue-rules.js';
import { KioskError } from '../errors.js';
import type { Applied, OfficeCommand } from './commands.js';
import { OfficeQueueMachine } from './queue-machine.js';

/** One forwarded proposal may take this long (a majority round-trip on the LAN is about a millisecond). */
const FORWARD_TIMEOUT_MS = 1_500;
/** A follower that heard no queue holder for this long says the queue is not current. */
const CURRENT_WITHIN_MS = 1_000;
const JOIN_RETRY_MS = 1_000;
/** A call applied later than this after it was made (by the holder's clock) is history, not an announcement. */
const ANNOUNCE_WITHIN_MS = 5 * 60_000;
/** A station this many entries behind the commit index is catching up: what it applies is history. */
const CATCHING_UP_ENTRIES = 50;

export type OfficeQueueState = NonNullable<import('../../protocol/events.js').KioskState['officeQueue']>;

export interface OfficeQueueOptions {
  ctx: DaemonContext;
  rules: QueueRules;
  /** This station's token: presented to the other stations. */
  token: string;
  /** Raft timings (tests and the bench may shorten them). */
  heartbeatMs?: number;
  electionTimeoutMs?: [number, number];
}

export class OfficeQueue {
  private node: RaftNode | null = null;
  private machine: OfficeQueueMachine | null = null;
  private self: Member | null = null;
  private readonly appliedWaiters = new Set<() => void>();
  private joining: AbortController | null = null;
  private watch: NodeJS.Timeout | undefined;
  private lastState = '';
  /**
   * Where a station said it is now, when that is newer than the office log knows: a station that
   * came back on another address is reached there before the log's membership catches up (which
   * needs a holder, which may need that very station's vote).
   */
  private readonly addresses = new Map<string, string>();

  constructor(private readonly o: OfficeQueueOptions) {}

  /** The raft node, once started (the routes answer 503 before). */
  raft(): RaftNode | null {
    return this.node;
  }

  /** Start taking part, reachable at `url`: found the log (KIOSK_QUEUE=found, once) or join through a station. */
  start(url: string): void {
    const { ctx } = this.o;
    const db = ctx.cache.db;
    this.self = { id: ctx.config.deviceId, url };
    this.machine = new OfficeQueueMachine({ db, tickets: ctx.tickets, rules: this.o.rules, office: ctx.config.office, onApplied: (a, at, fresh) => this.applied(a, at, fresh) });

    this.node = new RaftNode({
      id: ctx.config.deviceId,
      storage: new SqliteRaftStorage(db),
      machine: this.machine,
      transport: this.transport(new HttpRaftTransport({ token: this.o.token })),
      logger: ctx.logger,
      ...(this.o.heartbeatMs ? { heartbeatMs: this.o.heartbeatMs } : {}),
      ...(this.o.electionTimeoutMs ? { electionTimeoutMs: this.o.electionTimeoutMs } : {}),
      onChange: (role, leader) => {
        ctx.logger.info({ role, holder: leader?.id ?? null }, 'office queue: role changed');
        this.stateMayHaveChanged();
      },
    });
    if (ctx.config.queue.kind === 'found') this.node.found(this.self);
    this.node.start();
    this.joining = new AbortController();
    void this.keepMembership(this.joining.signal);
    this.watch = setInterval(() => this.stateMayHaveChanged(), 250);
  }

  stop(): void {
    this.joining?.abort();
    clearInterval(this.watch);
    this.node?.stop();
    for (const wake of this.appliedWaiters) wake();
  }

  state(): OfficeQueueState {
    const node = this.node;
    if (!node) return { state: 'unavailable', holder: null, stations: 0 };
    const { leader, members } = node.status();
    const current = leader !== null && Date.now() - node.lastLeaderContactAt() <= CURRENT_WITHIN_MS;
    return { state: current ? 'current' : 'unavailable', holder: leader?.id ?? null, stations: members.length };
  }

  /**
   * Put a command in the office log and wait until this station has applied it; QUEUE_UNAVAILABLE
   * when no queue holder took it within `deadlineMs`. A command proposed twice acts once (its id).
   */
  async propose(command: OfficeCommand, deadlineMs: number): Promise<Applied> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const node = this.node;
      if (!node) break;
      try {
        const applied = node.status().role === 'leader' ? ((await node.propose(command)) as Applied) : await this.forward(node, command, end);
        if (applied) {
          await this.untilApplied(applied.index, end + FORWARD_TIMEOUT_MS);
          return applied;
        }
      } catch (e) {
        if (!(e instanceof NotLeaderError) && !isTransient(e)) throw e;
      }
      if (Date.now() >= end) break;
      await sleep(Math.min(50, Math.max(1, end - Date.now())));
    }
    throw new KioskError('the office queue cannot be reached from this station: no queue holder answers', 'QUEUE_UNAVAILABLE');
  }

  /** Append a command forwarded by another station (this station must hold the queue). */
  async appendForwarded(command: OfficeCommand): Promise<Applied> {
    const node = this.node;
    if (!node || node.status().role !== 'leader') throw new NotLeaderError(node?.leader() ?? null);
    return (await node.propose(command)) as Applied;
  }

  /** A station (authenticated as itself) says where it is now. */
  noteAddress(member: Member): void {
    if (member.id !== this.self?.id) this.addresses.set(member.id, member.url);
  }

  /** Where to reach a member: its latest own word, else the office log's. */
  urlOf(member: Member): string {
    return this.addresses.get(member.id) ?? member.url;
  }

  /** Add a station (or its new address); this station must hold the queue. */
  async admit(member: Member): Promise<void> {
    const node = this.node;
    if (!node || node.status().role !== 'leader') throw new NotLeaderError(node?.leader() ?? null);
    await node.addMember(member);
  }

  /** Pass a command to the queue holder; null when there is none to ask right now. */
  private async forward(node: RaftNode, command: OfficeCommand, end: number): Promise<Applied | null> {
    const leader = node.leader();
    if (!leader || leader.id === this.self?.id) return null;
    const request = { token: this.o.token, body: { from: this.self!.id, command }, timeoutMs: Math.max(100, Math.min(FORWARD_TIMEOUT_MS, end - Date.now() + 200)) };
    return postToStation(this.urlOf(leader), '/office/v1/propose', request, async (res) => {
      if (!res.ok) return null; // 503: not the holder any more, or not ready; the next round asks again
      return ((await res.json()) as { applied: Applied }).applied;
    });
  }

  private untilApplied(index: number, until: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if ((this.machine?.lastApplied() ?? Infinity) >= index || Date.now() > until || !this.node) {
          this.appliedWaiters.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(check, Math.max(0, until - Date.now()) + 1);
      this.appliedWaiters.add(check);
      check();
    });
  }

  /**
   * An entry applied here: screens update, displays announce its calls, proposers waiting here go
   * on. A call is announced once, and only while it is news: not a repeated command, not the old
   * calls a station applies as it catches up after a restart (far behind the commit index, or
   * made minutes ago).
   */
  private applied(applied: Applied, at: string, fresh: boolean): void {
    const { bus } = this.o.ctx;
    const behind = (this.node?.status().commitIndex ?? applied.index) - applied.index;
    const news = fresh && behind <= CATCHING_UP_ENTRIES && Math.abs(this.o.ctx.now().getTime() - Date.parse(at)) <= ANNOUNCE_WITHIN_MS;
    if (applied.type === 'move' && news) {
      for (const e of applied.effects) if (e.type === 'call') bus.emit('called', announced(e, at));
    }
    bus.emit('stateChanged');
    for (const wake of [...this.appliedWaiters]) wake();
  }

  private stateMayHaveChanged(): void {
    const s = JSON.stringify(this.state());
    if (s === this.lastState) return;
    this.lastState = s;
    this.o.ctx.bus.emit('stateChanged');
  }

  /**
   * Be a member at this station's current address: ask the station named in KIOSK_QUEUE, or any
   * member the log knows, to add it; repeated until the office log lists it (a restart on another
   * address moves it).
   */
  private async keepMembership(signal: AbortSignal): Promise<void> {
    const { ctx } = this.o;
    const joinUrl = ctx.config.queue.kind === 'join' ? ctx.config.queue.url : null;
    while (!signal.aborted && this.node && this.self) {
      const listed = this.node.members().find((m) => m.id === this.self!.id);
      if (listed?.url === this.self.url) {
        await sleep(JOIN_RETRY_MS * 5, undefined, { signal }).catch(() => undefined);
        continue;
      }
      // Every station hears where this one is now (see `addresses`), until the holder admits it.
      const targets = [...new Set([...(joinUrl ? [joinUrl] : []), ...this.node.members().filter((m) => m.id !== this.self!.id).map((m) => this.urlOf(m))])];
      await Promise.all(targets.map((target) => this.askToJoin(target, signal)));
      await sleep(JOIN_RETRY_MS, undefined, { signal }).catch(() => undefined);
    }
  }

  private async askToJoin(target: string, signal: AbortSignal): Promise<boolean> {
    try {
      return await postToStation(target, '/office/v1/join', { token: this.o.token, body: { member: this.self }, timeoutMs: 3_000, cancel: signal }, async (res) => {
        if (!res.ok) this.o.ctx.logger.info({ target, status: res.status }, 'office queue: joining not answered yet');
        return res.ok;
      });
    } catch {
      return false;
    }
  }

  /** The raft transport, sending to each member where it last said it is. */
  private transport(inner: RaftTransport): RaftTransport {
    const at = (m: Member): Member => ({ ...m, url: this.urlOf(m) });
    return {
      requestVote: (to, r) => inner.requestVote(at(to), r),
      appendEntries: (to, r) => inner.appendEntries(at(to), r),
      installSnapshot: (to, r) => inner.installSnapshot(at(to), r),
    };
  }
}

function isTransient(e: unknown): boolean {
  const name = (e as Error | undefined)?.name;
  return name === 'TypeError' || name === 'TimeoutError' || name === 'AbortError' || name === 'SyntaxError';
}
