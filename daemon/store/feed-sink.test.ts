import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeRecord } from '../../protocol/feed-records.js';
import { tempDir } from '../../tests/support/fixtures.js';
import { Cache } from './cache.js';
import { CacheFeedSink } from './feed-sink.js';

const app = (seq: number, id: string): ChangeRecord => ({
  seq,
  entity: 'application',
  id,
  op: 'upsert',
  data: { office: '4301', procedureType: 'RENEW', channel: 'screen', receiverId: null, status: 'ready', feesPaid: true, individualCodeIssued: false, deliverables: [], vehicle: {}, reviewCompletedAt: null },
});

describe('the cache as the sync client sees it', () => {
  let tmp: ReturnType<typeof tempDir>;
  let cache: Cache;
  let sink: CacheFeedSink;
  beforeEach(() => {
    tmp = tempDir();
    cache = Cache.open(tmp.dir);
    sink = new CacheFeedSink(cache.db, cache.applier);
  });
  afterEach(() => {
    cache.close();
    tmp.cleanup();
  });
  const receipts = () => (cache.db.prepare('SELECT receipt_number AS r FROM applications ORDER BY r').all() as { r: string }[]).map((x) => x.r);

  it('applies a page with its cursor and feed id; asOf moves only with a page that brings the kiosk up to date', () => {
    sink.applyPage({ records: [app(3, 'A'), app(7, 'B')], next: 9, feedId: 'f1', asOf: null, completesSnapshot: false });
    expect([sink.cursor(), sink.feedId(), cache.view.asOf()]).toEqual([9, 'f1', null]);
    const asOf = new Date('2026-12-03T01:00:00Z');
    sink.applyPage({ records: [], next: 12, feedId: 'f1', asOf, completesSnapshot: false });
    expect([sink.cursor(), cache.view.asOf()]).toEqual([12, asOf]);
  });

  it('leaves the connection durable again after a page (a page itself need not wait for the disk)', () => {
    sink.applyPage({ records: [app(1, 'A')], next: 1, feedId: 'f1', asOf: null, completesSnapshot: false });
    expect(cache.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
  });

  it('a fresh snapshot keeps the old rows usable until it completes, then drops what the hub no longer has and keeps the counter’s own', () => {
    sink.applyPage({ records: [app(1, 'A'), app(2, 'B'), app(3, 'GONE')], next: 3, feedId: 'f1', asOf: new Date(), completesSnapshot: false });
    cache.local.activateReceiver('LOCAL', '窓口登録', null, 0); // a row the counter made itself (seq 0)
    sink.beginSnapshot();
    expect([sink.cursor(), sink.snapshotInProgress(), receipts()]).toEqual([0, true, ['A', 'B', 'GONE']]);
    sink.applyPage({ records: [app(1, 'A')], next: 1, feedId: 'f2', asOf: null, completesSnapshot: false });
    expect(receipts()).toEqual(['A', 'B', 'GONE']); // still judged from until the snapshot is whole
    sink.applyPage({ records: [app(2, 'B')], next: 2, feedId: 'f2', asOf: new Date(), completesSnapshot: true });
    expect([receipts(), sink.snapshotInProgress(), sink.feedId()]).toEqual([['A', 'B'], false, 'f2']);
    expect(cache.view.receiver('LOCAL')?.status).toBe('active');
  });
});
