// The office log kept in the station's own SQLite file: term and vote, the entries, and the latest
// snapshot. Every write commits before the node answers anyone (synchronous=FULL on that file), so
// a vote or an acknowledged entry survives a power cut.
import type { Statement } from 'better-sqlite3';
import type { Db, MigrationSet } from '../../daemon/store/db.js';
import type { LogEntry, Member, RaftStorage, Snapshot } from './types.js';

export const raftMigrations: MigrationSet = {
  module: 'office-log',
  steps: [
    {
      version: 1,
      name: 'office log',
      sql: `
        CREATE TABLE office_raft_state (id INTEGER PRIMARY KEY CHECK (id = 1), term INTEGER NOT NULL, voted_for TEXT);
        INSERT INTO office_raft_state (id, term, voted_for) VALUES (1, 0, NULL);
        CREATE TABLE office_log (idx INTEGER PRIMARY KEY, term INTEGER NOT NULL, kind TEXT NOT NULL, entry TEXT NOT NULL);
        CREATE INDEX office_log_configs ON office_log (kind, idx) WHERE kind = 'config';
        CREATE TABLE office_snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), last_index INTEGER NOT NULL, last_term INTEGER NOT NULL, members TEXT NOT NULL, state TEXT NOT NULL);
      `,
    },
  ],
};

export class SqliteRaftStorage implements RaftStorage {
  private readonly s: {
    hard: Statement<[], { term: number; voted_for: string | null }>;
    setHard: Statement<[number, string | null]>;
    lastEntry: Statement<[], { idx: number; term: number }>;
    termAt: Statement<[number], { term: number }>;
    range: Statement<[number, number], { entry: string }>;
    insert: Statement<[number, number, string, string]>;
    truncate: Statement<[number]>;
    dropUpTo: Statement<[number]>;
    dropAll: Statement<[]>;
    configAt: Statement<[number], { entry: string; idx: number }>;
    snapshot: Statement<[], { last_index: number; last_term: number; members: string; state: string }>;
    saveSnapshot: Statement<[number, number, string, string]>;
  };

  constructor(private readonly db: Db) {
    this.s = {
      hard: db.prepare('SELECT term, voted_for FROM office_raft_state WHERE id = 1'),
      setHard: db.prepare('UPDATE office_raft_state SET term = ?, voted_for = ? WHERE id = 1'),
      lastEntry: db.prepare('SELECT idx, term FROM office_log ORDER BY idx DESC LIMIT 1'),
      termAt: db.prepare('SELECT term FROM office_log WHERE idx = ?'),
      range: db.prepare('SELECT entry FROM office_log WHERE idx >= ? AND idx <= ? ORDER BY idx'),
      insert: db.prepare('INSERT INTO office_log (idx, term, kind, entry) VALUES (?, ?, ?, ?)'),
      truncate: db.prepare('DELETE FROM office_log WHERE idx >= ?'),
      dropUpTo: db.prepare('DELETE FROM office_log WHERE idx <= ?'),
      dropAll: db.prepare('DELETE FROM office_log'),
      configAt: db.prepare("SELECT entry, idx FROM office_log WHERE kind = 'config' AND idx <= ? ORDER BY idx DESC LIMIT 1"),
      snapshot: db.prepare('SELECT last_index, last_term, members, state FROM office_snapshot WHERE id = 1'),
      saveSnapshot: db.prepare(
        `INSERT INTO office_snapshot (id, last_index, last_term, members, state) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET last_index = excluded.last_index, last_term = excluded.last_term, members = excluded.members, state = excluded.state`,
      ),
    };
  }

  hardState(): { term: number; votedFor: string | null } {
    const row = this.s.hard.get()!;
    return { term: row.term, votedFor: row.voted_for };
  }

  setHardState(term: number, votedFor: string | null): void {
    this.s.setHard.run(term, votedFor);
  }

  last(): { index: number; term: number } {
    const row = this.s.lastEntry.get();
    if (row) return { index: row.idx, term: row.term };
    const snap = this.s.snapshot.get();
    return snap ? { index: snap.last_index, term: snap.last_term } : { index: 0, term: 0 };
  }

  termAt(index: number): number | null {
    if (index === 0) return 0;
    const row = this.s.termAt.get(index);
    if (row) return row.term;
    const snap = this.s.snapshot.get();
    return snap?.last_index === index ? snap.last_term : null;
  }

  entries(from: number, toInclusive: number, maxBytes: number): LogEntry[] {
    const out: LogEntry[] = [];
    let bytes = 0;
    for (const { entry } of this.s.range.iterate(from, toInclusive)) {
      if (out.length > 0 && bytes + entry.length > maxBytes) break;
      bytes += entry.length;
      out.push(JSON.parse(entry) as LogEntry);
    }
    return out;
  }

  append(entries: readonly LogEntry[], truncateFrom?: number): void {
    this.db.transaction(() => {
      if (truncateFrom !== undefined) this.s.truncate.run(truncateFrom);
      for (const e of entries) this.s.insert.run(e.index, e.term, e.kind, JSON.stringify(e));
    })();
  }

  latestConfig(): { index: number; members: Member[] } | null {
    const row = this.s.configAt.get(Number.MAX_SAFE_INTEGER);
    if (row) return { index: row.idx, members: (JSON.parse(row.entry) as { members: Member[] }).members };
    const snap = this.s.snapshot.get();
    return snap ? { index: snap.last_index, members: JSON.parse(snap.members) as Member[] } : null;
  }

  configAt(index: number): Member[] {
    const row = this.s.configAt.get(index);
    if (row) return (JSON.parse(row.entry) as { members: Member[] }).members;
    const snap = this.s.snapshot.get();
    return snap ? (JSON.parse(snap.members) as Member[]) : [];
  }

  snapshot(): Snapshot | null {
    const snap = this.s.snapshot.get();
    return snap ? { lastIncludedIndex: snap.last_index, lastIncludedTerm: snap.last_term, members: JSON.parse(snap.members) as Member[], state: JSON.parse(snap.state) as unknown } : null;
  }

  saveSnapshot(snapshot: Snapshot): void {
    this.db.transaction(() => {
      // Entries after the snapshot stay only when the log agrees with it at its last index.
      if (this.termAt(snapshot.lastIncludedIndex) === snapshot.lastIncludedTerm) this.s.dropUpTo.run(snapshot.lastIncludedIndex);
      else this.s.dropAll.run();
      this.s.saveSnapshot.run(snapshot.lastIncludedIndex, snapshot.lastIncludedTerm, JSON.stringify(snapshot.members), JSON.stringify(snapshot.state));
    })();
  }

  firstIndex(): number {
    return (this.s.snapshot.get()?.last_index ?? 0) + 1;
  }
}
