import { cacheMigrations } from '../store/cache-schema.js';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.js';
import { backoffMs } from '../../sync/client/backoff.js';
import { Outbox, type OutboxEventInput } from './outbox.js';
import { outboxMigrations } from './schema.js';

let dir: string;
let file: string;
let db: Db;
let outbox: Outbox;
const T0 = new Date('2025-04-01T09:00:00Z');
const after = (ms: number) => new Date(T0.getTime() + ms);

function pickup(receipt: string): OutboxEventInput {
  return { id: randomUUID(), type: 'pickup', at: T0, data: { receiptNumber: receipt, staffId: 's01' } };
}

function reopen(): void {
  db.close();
  db = openDatabase(file, [cacheMigrations, outboxMigrations]);
  outbox = new Outbox(db, { random: () => 0 });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-outbox-'));
  file = join(dir, 'kiosk.sqlite');
  db = openDatabase(file, [cacheMigrations, outboxMigrations]);
  outbox = new Outbox(db, { random: () => 0 });
});
afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('add', () => {
  it('queues oldest first and is idempotent on id', () => {
    const a = pickup('10000000000000001');
    const b = pickup('10000000000000002');
    expect(outbox.add(a, T0)).toBe(true);
    expect(outbox.add(b, T0)).toBe(true);
    expect(outbox.add({ ...a, data: { other: true } }, T0)).toBe(false);
    expect(outbox.depth()).toBe(2);
    const due = outbox.pending(10, T0);
    expect(due.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(due[0]).toEqual({ id: a.id, type: 'pickup', at: T0.toISOString(), data: a.data, attempts: 0, nextAttemptAt: new Date(0).toISOString(), lastError: null });
    expect(outbox.pending(1, T0)).toHaveLength(1);
  });

  it('stays idempotent after the hub answered', () => {
    const a = pickup('10000000000000001');
    outbox.add(a, T0);
    outbox.recordAnswers([{ id: a.id, status: 'applied' }], T0);
    expect(outbox.add(a, T0)).toBe(false);
    expect(outbox.depth()).toBe(0);
  });

  it('refuses what is not an event', () => {
    expect(() => outbox.add({ ...pickup('1'), id: 'not-a-uuid' })).toThrow(/UUID/);
    expect(() => outbox.add({ ...pickup('1'), type: 'lunch' as 'pickup' })).toThrow(/type/);
  });

  it('rolls back with the caller’s transaction', () => {
    expect(() =>
      db.transaction(() => {
        outbox.add(pickup('1'), T0);
        throw new Error('handover failed');
      })(),
    ).toThrow('handover failed');
    expect(outbox.depth()).toBe(0);
  });
});

describe('answers', () => {
  it('removes applied and duplicate, keeps conflicts for staff, ignores the unknown', () => {
    const [a, b, c, d] = ['1', '2', '3', '4'].map(pickup) as [OutboxEventInput, OutboxEventInput, OutboxEventInput, OutboxEventInput];
    for (const e of [a, b, c, d]) outbox.add(e, T0);
    const summary = outbox.recordAnswers(
      [
        { id: a.id, status: 'applied' },
        { id: b.id, status: 'duplicate' },
        { id: c.id, status: 'conflict', detail: 'collected elsewhere at 2025-04-01T08:59:00Z' },
        { id: randomUUID(), status: 'applied' },
      ],
      after(1000),
    );
    expect(summary.done).toEqual([a.id, b.id]);
    expect(summary.conflicts).toEqual([c.id]);
    expect(summary.ignored).toHaveLength(1);
    expect(outbox.pending(10, after(1000)).map((e) => e.id)).toEqual([d.id]); // unanswered stays
    expect(outbox.conflicts()).toEqual([{ id: c.id, type: 'pickup', at: T0.toISOString(), data: c.data, detail: 'collected elsewhere at 2025-04-01T08:59:00Z', answeredAt: after(1000).toISOString() }]);
  });

  it('keeps a resolved conflict but stops listing it', () => {
    const c = pickup('3');
    outbox.add(c, T0);
    outbox.recordAnswers([{ id: c.id, status: 'conflict' }], T0);
    expect(outbox.resolveConflict(c.id, 's01', 'called the other office', after(5000))).toBe(true);
    expect(outbox.resolveConflict(c.id, 's02', 'again', after(6000))).toBe(false);
    expect(outbox.conflicts()).toEqual([]);
    expect(db.prepare('SELECT resolved_by, resolution_note FROM sync_conflicts').get()).toEqual({ resolved_by: 's01', resolution_note: 'called the other office' });
    expect(() => outbox.resolveConflict(randomUUID(), 's01', 'x')).toThrow(/no sync conflict/);
    expect(outbox.add(c, T0)).toBe(false);
  });
});

describe('failures', () => {
  it('back off exponentially to five minutes', () => {
    expect([1, 2, 3, 4, 9, 10, 50].map((n) => backoffMs(n, { random: () => 0 }))).toEqual([1000, 2000, 4000, 8000, 256_000, 300_000, 300_000]);
    for (let i = 0; i < 100; i++) {
      const d = backoffMs(3);
      expect(d).toBeGreaterThanOrEqual(3000);
      expect(d).toBeLessThanOrEqual(4000);
    }
    expect(backoffMs(20, { random: () => 0.999999 })).toBeGreaterThanOrEqual(225_000);
  });

  it('hold an event back until it is due, then offer it again', () => {
    const a = pickup('1');
    const b = pickup('2');
    outbox.add(a, T0);
    outbox.add(b, T0);
    outbox.recordFailure([a.id], new Error('ECONNREFUSED'), T0);
    expect(outbox.pending(10, after(999)).map((e) => e.id)).toEqual([b.id]);
    const [retry] = outbox.pending(10, after(1000));
    expect(retry).toMatchObject({ id: a.id, attempts: 1, lastError: 'ECONNREFUSED', nextAttemptAt: after(1000).toISOString() });
    outbox.recordFailure([a.id], 'HTTP 503', after(1000));
    expect(outbox.pending(10, after(2999)).map((e) => e.id)).toEqual([b.id]);
    expect(outbox.pending(10, after(3000)).map((e) => e.id)).toEqual([a.id, b.id]);
    expect(outbox.nextAttemptAt()).toEqual(new Date(0));
    expect(outbox.depth()).toBe(2); // nothing leaves on a failure
  });
});

describe('durability', () => {
  it('keeps queued events, attempts and conflicts across reopening the file', () => {
    const a = pickup('1');
    const c = pickup('3');
    outbox.add(a, T0);
    outbox.add(c, T0);
    outbox.recordFailure([a.id], 'offline', T0);
    outbox.recordAnswers([{ id: c.id, status: 'conflict', detail: { passwordVersion: 3 } }], T0);
    reopen();
    expect(outbox.depth()).toBe(1);
    expect(outbox.pending(10, after(1000))).toMatchObject([{ id: a.id, attempts: 1 }]);
    expect(outbox.conflicts()).toMatchObject([{ id: c.id, detail: { passwordVersion: 3 } }]);
    expect(outbox.add(a, T0)).toBe(false);
  });
});
