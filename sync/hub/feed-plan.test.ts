import { describe, expect, it } from 'vitest';
import type { ChangeRecord } from '../../protocol/feed-records.js';
import { lastPerKey, planPublish, rowKey, pageEnd, WakeCollector, type RowState } from './feed-plan.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const app = (id: string, office: string, status: 'ready' | 'collected' = 'ready'): ChangeRecord => ({
  seq: 0,
  entity: 'application',
  id,
  op: 'upsert',
  data: { office, procedureType: 'RENEW', channel: 'screen', status, feesPaid: true },
});
const receiver = (id: string, passwordVersion: number): ChangeRecord => ({ seq: 0, entity: 'receiver', id, op: 'upsert', data: { name: 'n', status: 'active', passwordVersion } });

function rowsAfter(records: ChangeRecord[], head = 0): Map<string, RowState> {
  const plan = planPublish(records, new Map(), head, NOW);
  return new Map(plan.writes.map((w) => [rowKey(w.entity, w.id), w]));
}

describe('planPublish', () => {
  it('gives each changed record the next seq and skips records equal to their row, whatever their key order', () => {
    const existing = rowsAfter([app('A1', '4301'), app('A2', '4301')], 10);
    const reordered = { ...app('A1', '4301'), data: Object.fromEntries(Object.entries((app('A1', '4301') as { data: object }).data).reverse()) } as ChangeRecord;
    const plan = planPublish([reordered, app('A2', '4301', 'collected'), app('A3', '4302')], existing, 12, NOW);
    expect(plan.unchanged).toBe(1);
    expect(plan.writes.map((w) => [w.id, w.seq])).toEqual([
      ['A2', 13],
      ['A3', 14],
    ]);
    expect(plan.head).toBe(14);
    expect(plan.wake.result()).toEqual({ offices: new Set(['4301', '4302']) });
  });

  it('keeps a deleted application’s office on its tombstone and remembers the office an application left', () => {
    const existing = rowsAfter([app('A1', '4301'), app('A2', '4301')]);
    const plan = planPublish([{ seq: 0, entity: 'application', id: 'A1', op: 'delete' }, app('A2', '4302')], existing, 2, NOW);
    expect(plan.writes).toEqual([
      { seq: 3, entity: 'application', id: 'A1', op: 'delete', office: '4301', prevOffice: null, data: null },
      expect.objectContaining({ seq: 4, id: 'A2', office: '4302', prevOffice: '4301' }),
    ]);
  });

  it('records password versions: the first seen with no time, a raise with the time published, nothing for a lower one', () => {
    const first = planPublish([receiver('R1', 2)], new Map(), 0, NOW);
    expect(first.passwordVersions).toEqual([{ receiverId: 'R1', version: 2, changedAt: null }]);
    const existing = rowsAfter([receiver('R1', 2)]);
    expect(planPublish([receiver('R1', 3)], existing, 1, NOW).passwordVersions).toEqual([{ receiverId: 'R1', version: 3, changedAt: NOW.toISOString() }]);
    expect(planPublish([receiver('R1', 1)], existing, 1, NOW).passwordVersions).toEqual([]);
    expect(planPublish([receiver('R1', 1)], existing, 1, NOW).wake.result()).toEqual({ all: true });
  });
});

describe('feed helpers', () => {
  it('lastPerKey keeps the last record per key, in the order of its last appearance', () => {
    expect(lastPerKey([app('A', '1'), app('B', '1'), app('A', '2')]).map((r) => [r.id, (r as { data: { office: string } }).data.office])).toEqual([
      ['B', '1'],
      ['A', '2'],
    ]);
  });

  it('pageEnd: a full page with more behind it points at its last record, anything else at the head', () => {
    const q = { since: 3, limit: 2, office: undefined };
    expect(pageEnd(q, 20, 2, 9, true)).toEqual({ more: true, next: 9 });
    expect(pageEnd(q, 20, 2, 9, false)).toEqual({ more: false, next: 20 });
    expect(pageEnd(q, 20, 1, 4, false)).toEqual({ more: false, next: 20 });
    expect(pageEnd({ ...q, since: 25 }, 20, 0, null, false)).toEqual({ more: false, next: 25 }); // head behind the cursor: the kiosk sees it
  });

  it('WakeCollector: nothing written is no wake; a non-application change wakes everyone', () => {
    const w = new WakeCollector();
    expect(w.result()).toBeNull();
    w.add({ entity: 'application', office: '4301', prevOffice: null });
    expect(w.result()).toEqual({ offices: new Set(['4301']) });
    w.add({ entity: 'key', office: null, prevOffice: null });
    expect(w.result()).toEqual({ all: true });
  });
});
