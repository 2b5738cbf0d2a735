// The office log's consensus on real parts: each station its own SQLite file and HTTP server on
// 127.0.0.1, a small counter as the state machine. Leader lost, a station cut off and back, a
// station far behind (snapshot), a station joining, restarts from disk.
import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../daemon/store/db.js';
import { tempDir } from '../../tests/support/fixtures.js';
import { HttpRaftTransport, RAFT_PATH, raftRouter } from './http-transport.js';
import { RaftNode } from './node.js';
import { raftMigrations, SqliteRaftStorage } from './sqlite-storage.js';
import { NotLeaderError, type LogEntry, type Member, type StateMachine } from './types.js';

/** A counter: `{ add: n, id }` adds n and answers the running total; ids applied twice count once. */
class Counter implements StateMachine {
  constructor(private readonly db: Db) {
    db.exec(`CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY CHECK (id = 1), total INTEGER NOT NULL, applied INTEGER NOT NULL);
             INSERT OR IGNORE INTO counter VALUES (1, 0, 0);
             CREATE TABLE IF NOT EXISTS counter_seen (id TEXT PRIMARY KEY, total INTEGER NOT NULL);`);
  }
  lastApplied(): number {
    return (this.db.prepare('SELECT applied FROM counter').get() as { applied: number }).applied;
  }
  total(): number {
    return (this.db.prepare('SELECT total FROM counter').get() as { total: number }).total;
  }
  apply(entry: Extract<LogEntry, { kind: 'command' }>): unknown {
    const { add, id } = entry.command as { add: number; id: string };
    return this.db.transaction(() => {
      const seen = this.db.prepare('SELECT total FROM counter_seen WHERE id = ?').get(id) as { total: number } | undefined;
      if (!seen) this.db.prepare('UPDATE counter SET total = total + ?').run(add);
      const total = seen?.total ?? this.total();
      if (!seen) this.db.prepare('INSERT INTO counter_seen VALUES (?, ?)').run(id, total);
      this.db.prepare('UPDATE counter SET applied = ?').run(entry.index);
      return total;
    })();
  }
  skip(index: number): void {
    this.db.prepare('UPDATE counter SET applied = ?').run(index);
  }
  takeSnapshot(): unknown {
    return { total: this.total(), seen: this.db.prepare('SELECT id, total FROM counter_seen').all() };
  }
  checkSnapshot(state: unknown): void {
    const s = state as { total?: unknown; seen?: unknown } | null;
    if (typeof s?.total !== 'number' || !Array.isArray(s.seen)) throw new Error('not a counter snapshot');
  }
  restore(state: unknown, lastIncludedIndex: number): void {
    const s = state as { total: number; seen: { id: string; total: number }[] };
    this.db.transaction(() => {
      this.db.prepare('UPDATE counter SET total = ?, applied = ?').run(s.total, lastIncludedIndex);
      this.db.prepare('DELETE FROM counter_seen').run();
      for (const r of s.seen) this.db.prepare('INSERT INTO counter_seen VALUES (?, ?)').run(r.id, r.total);
    })();
  }
}

interface Station {
  id: string;
  alive: boolean;
  member: Member;
  node: RaftNode;
  counter: Counter;
  /** Stop answering and sending, as a machine that lost power (its files stay). */
  kill(): Promise<void>;
  /** Come back on the same port and files. */
  revive(): Promise<void>;
  /** Cut its network (it neither hears nor is heard) / mend it. */
  partition(cut: boolean): void;
}

describe('office log consensus (real HTTP, real SQLite)', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** Stations on fixed ports so a revived one keeps its address. */
  async function cluster(n: number, opts: { snapshotEvery?: number } = {}): Promise<Station[]> {
    const tmp = tempDir('raft-');
    cleanups.push(tmp.cleanup);
    const ids = Array.from({ length: n }, (_, i) => `s${i + 1}`);
    const tokens = new Map(ids.map((id) => [`token-${id}`, id]));
    const servers = await Promise.all(ids.map(() => listen()));
    const members: Member[] = ids.map((id, i) => ({ id, url: `http://127.0.0.1:${(servers[i]!.address() as AddressInfo).port}` }));
    return ids.map((id, i) => {
      let server: Server | null = servers[i]!;
      let cut = false;
      let db = openDatabase(join(tmp.dir, `${id}.sqlite`), [raftMigrations]);
      const make = () => {
        const counter = new Counter(db);
        const transport = new HttpRaftTransport({ token: `token-${id}`, timeoutMs: 300 });
        const guarded = {
          requestVote: (to: Member, r: Parameters<typeof transport.requestVote>[1]) => (cut ? Promise.reject(new Error('cut')) : transport.requestVote(to, r)),
          appendEntries: (to: Member, r: Parameters<typeof transport.appendEntries>[1]) => (cut ? Promise.reject(new Error('cut')) : transport.appendEntries(to, r)),
          installSnapshot: (to: Member, r: Parameters<typeof transport.installSnapshot>[1]) => (cut ? Promise.reject(new Error('cut')) : transport.installSnapshot(to, r)),
        };
        const node = new RaftNode({ id, storage: new SqliteRaftStorage(db), machine: counter, transport: guarded, snapshotEvery: opts.snapshotEvery ?? 1000 });
        return { counter, node };
      };
      let parts = make();
      const app = express();
      app.use(RAFT_PATH, (req, res, next) => (cut ? void res.socket?.destroy() : next()), raftRouter(() => parts.node, (t) => tokens.get(t) ?? null));
      server.on('request', app);
      if (i === 0) parts.node.found(members[0]!);
      parts.node.start();
      const station: Station = {
        id,
        alive: true,
        member: members[i]!,
        get node() {
          return parts.node;
        },
        get counter() {
          return parts.counter;
        },
        async kill() {
          station.alive = false;
          parts.node.stop();
          server?.closeAllConnections();
          await new Promise((r) => server?.close(r));
          server = null;
          db.close();
        },
        async revive() {
          db = openDatabase(join(tmp.dir, `${id}.sqlite`), [raftMigrations]);
          parts = make();
          server = await listen(Number(new URL(members[i]!.url).port));
          server.on('request', app);
          parts.node.start();
          station.alive = true;
        },
        partition(c) {
          cut = c;
        },
      };
      cleanups.push(async () => {
        parts.node.stop();
        if (server) {
          server.closeAllConnections();
          await new Promise((r) => server!.close(r));
        }
        if (db.open) db.close();
      });
      return station;
    });
  }

  async function leaderOf(stations: Station[], ms = 5000): Promise<Station> {
    const end = Date.now() + ms;
    for (;;) {
      const leaders = stations.filter((s) => s.alive && s.node.status().role === 'leader');
      if (leaders.length === 1) return leaders[0]!;
      if (Date.now() > end) throw new Error(`no single leader (${leaders.length})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Propose through whichever station leads, retrying (same id) across leader changes. */
  async function add(stations: Station[], amount: number, id: string, ms = 10_000): Promise<number> {
    const end = Date.now() + ms;
    for (;;) {
      try {
        const leader = await leaderOf(stations, Math.max(0, end - Date.now()));
        return (await Promise.race([leader.node.propose({ add: amount, id }), new Promise((_, reject) => setTimeout(() => reject(new Error('slow')), 2000))])) as number;
      } catch (e) {
        if (Date.now() > end) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  async function grow(first: Station, others: Station[]): Promise<void> {
    await leaderOf([first]);
    for (const s of others) await first.node.addMember(s.member);
  }

  const settled = async (stations: Station[], total: number) => {
    const end = Date.now() + 10_000;
    while (!stations.every((s) => s.counter.total() === total)) {
      if (Date.now() > end) throw new Error(`totals ${stations.map((s) => s.counter.total())}, expected ${total}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('one founding station leads; stations join one at a time; every station applies every entry once, in order', async () => {
    const stations = await cluster(5);
    await grow(stations[0]!, stations.slice(1));
    expect(stations[0]!.node.members().map((m) => m.id)).toEqual(['s1', 's2', 's3', 's4', 's5']);
    const totals = [];
    for (let i = 1; i <= 20; i++) totals.push(await add(stations, i, `a${i}`));
    expect(totals.at(-1)).toBe(210);
    expect(await add(stations, 1000, 'a20')).toBe(210); // the same id again: applied once
    await settled(stations, 210);
  }, 30_000);

  it('a station whose address another now answers at is not counted: the one that answers there votes and acknowledges only as itself', async () => {
    const stations = await cluster(3);
    await grow(stations[0]!, stations.slice(1));
    const [s1, s2, s3] = stations as [Station, Station, Station];
    // s4 is listed at s2's address (s2 came back on s4's old DHCP lease, say): 4 members, 3 make a majority.
    await s1.node.addMember({ id: 's4', url: s2.member.url });
    expect(await add(stations, 1, 'b1')).toBe(1);
    await expect(new HttpRaftTransport({ token: 'token-s1' }).requestVote({ id: 's4', url: s2.member.url }, { term: 1, candidateId: 's1', lastLogIndex: 0, lastLogTerm: 0, preVote: true })).rejects.toThrow(/HTTP 409/);
    // With s3 gone only s1 and s2 hold entries: not a majority of four, whatever answers at s4's address.
    await s3.kill();
    await expect(add([s1, s2], 2, 'b2', 3_000)).rejects.toThrow();
    expect(s1.counter.total()).toBe(1);
  }, 30_000);

  it('a station refuses a term far beyond its own and a snapshot it could not restore, and keeps its log', async () => {
    const stations = await cluster(3);
    await grow(stations[0]!, stations.slice(1));
    expect(await add(stations, 5, 'c1')).toBe(5);
    await settled(stations, 5);
    const [s1, s2] = stations as [Station, Station];
    const before = s2.node.status();
    // What a stolen station token could send (s1's, as s1): a term near 2^53, which every later
    // election would have to exceed, and a snapshot of nothing that would replace s2's log.
    const asS1 = new HttpRaftTransport({ token: 'token-s1' });
    const append = await asS1.appendEntries(s2.member, { term: 2 ** 40, leaderId: 's1', prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 });
    expect(append.success).toBe(false);
    const snap = await asS1.installSnapshot(s2.member, { term: before.term, leaderId: 's1', lastIncludedIndex: 1_000_000, lastIncludedTerm: before.term, members: [s1.member], state: { not: 'a counter' } });
    expect(snap.term).toBe(before.term);
    expect(s2.node.status()).toMatchObject({ term: before.term, lastIndex: before.lastIndex });
    expect(s2.counter.total()).toBe(5);
    expect(await add(stations, 1, 'c2')).toBe(6);
    await settled(stations, 6);
  }, 30_000);

  it('the leader killed mid-stream: another takes over within seconds; no acknowledged entry is lost; it comes back as a follower', async () => {
    const stations = await cluster(5);
    await grow(stations[0]!, stations.slice(1));
    const acknowledged: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        await add(stations, 1, `w${i}`);
        acknowledged.push(`w${i}`);
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const old = await leaderOf(stations);
    const killedAt = Date.now();
    await old.kill();
    const rest = stations.filter((s) => s !== old);
    const next = await leaderOf(rest);
    const outage = Date.now() - killedAt;
    expect(next).not.toBe(old);
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await writer;
    await settled(rest, acknowledged.length);
    await old.revive();
    await settled(stations, acknowledged.length);
    expect(old.node.status().role).toBe('follower');
    console.log(`leader lost → new leader in ${outage} ms`);
  }, 30_000);

  it('a station cut off cannot commit (its proposals fail) and does not disrupt the others when it comes back', async () => {
    const stations = await cluster(3);
    await grow(stations[0]!, stations.slice(1));
    await add(stations, 1, 'x1');
    const leader = await leaderOf(stations);
    leader.partition(true);
    // The cut-off leader steps down once it cannot hear a majority…
    const end = Date.now() + 3000;
    while (leader.node.status().role === 'leader' && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(leader.node.status().role).not.toBe('leader');
    await expect(leader.node.propose({ add: 5, id: 'lost' })).rejects.toBeInstanceOf(NotLeaderError);
    // …while the others go on.
    const others = stations.filter((s) => s !== leader);
    const term = (await leaderOf(others)).node.status().term;
    expect(await add(others, 1, 'x2')).toBe(2);
    // Back: pre-vote keeps it from forcing a new election; it catches up.
    leader.partition(false);
    await settled(stations, 2);
    expect((await leaderOf(stations)).node.status().term).toBe(term);
  }, 30_000);

  it('a station far behind gets a snapshot; every station restarted from its files agrees', async () => {
    const stations = await cluster(3, { snapshotEvery: 20 });
    await grow(stations[0]!, stations.slice(1));
    const late = stations[2]!;
    await late.kill();
    for (let i = 0; i < 60; i++) await add(stations.slice(0, 2), 1, `b${i}`);
    await late.revive();
    await settled(stations, 60);
    for (const s of stations) await s.kill();
    for (const s of stations) await s.revive();
    await leaderOf(stations);
    expect(await add(stations, 1, 'after-restart')).toBe(61);
    await settled(stations, 61);
  }, 30_000);
});

function listen(port = 0): Promise<Server> {
  const server = createServer();
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
