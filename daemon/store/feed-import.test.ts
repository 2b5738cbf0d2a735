import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isKioskError } from '../errors.js';
import { ndjson, projectSuite, tempDir } from '../../tests/support/fixtures.js';
import { Cache } from './cache.js';
import { importFeed, MAX_FEED_LINE_BYTES } from './feed-import.js';

const office = (seq: number, id: string, ja: string) => ({ seq, entity: 'office', id, op: 'upsert', data: { name: { ja, en: ja } } });

describe('importFeed', () => {
  let tmp: ReturnType<typeof tempDir>;
  let cache: Cache;
  beforeEach(() => {
    tmp = tempDir();
    cache = Cache.open(tmp.dir);
  });
  afterEach(() => {
    cache.close();
    tmp.cleanup();
  });
  const run = (text: string, now?: Date) => importFeed(cache.db, cache.applier, Readable.from([text]), { now });
  const dump = () => cache.db.prepare('SELECT * FROM offices ORDER BY code').all();

  it('applies the fixture feed into the SQLite file and records the cursor and asOf', async () => {
    const result = await run(projectSuite.feedText());
    expect(result).toEqual({ records: 64, cursor: 64, asOf: '2026-11-27T00:50:00.000Z' });
    expect(cache.counts()).toEqual({ offices: 3, procedureTypes: 4, keys: 4, receivers: 6, applications: 29 });
    cache.close();
    // Durable: a second connection to the same file sees it.
    cache = Cache.open(tmp.dir);
    expect(cache.view.asOf()?.toISOString()).toBe('2026-11-27T00:50:00.000Z');
  });

  it('applying the same records twice changes nothing', async () => {
    await run(projectSuite.feedText());
    const before = cache.db.prepare('SELECT * FROM applications ORDER BY receipt_number').all();
    await run(projectSuite.feedText());
    expect(cache.db.prepare('SELECT * FROM applications ORDER BY receipt_number').all()).toEqual(before);
  });

  it('a file without a meta record counts as current when imported', async () => {
    const now = new Date('2027-05-05T05:05:05Z');
    expect((await run(ndjson([office(1, '9', 'x')]), now)).asOf).toBe(now.toISOString());
  });

  it('a delete may carry data (even null), which is ignored', async () => {
    await run(ndjson([office(1, 'A', '甲'), { seq: 2, entity: 'office', id: 'A', op: 'delete', data: null }, office(3, 'B', '乙'), { seq: 4, entity: 'office', id: 'B', op: 'delete', data: { name: { ja: 'x', en: 'x' } } }]));
    expect(dump()).toEqual([]);
  });

  it('delete removes, and an older upsert cannot bring the row back', async () => {
    await run(ndjson([office(1, 'A', '甲'), office(2, 'B', '乙'), { seq: 3, entity: 'office', id: 'A', op: 'delete' }]));
    expect(dump()).toEqual([{ code: 'B', name_ja: '乙', name_en: '乙', seq: 2 }]);
    await run(ndjson([office(1, 'A', '甲')]));
    expect(dump()).toHaveLength(1);
    await run(ndjson([office(4, 'A', '甲2')]));
    expect(dump()).toHaveLength(2);
  });

  it.each([
    ['{not json', 'line 2: not valid JSON'],
    ['{"seq":2,"entity":"office","id":"X","op":"upsert","data":{}}', 'line 2: office X: data.name'],
    ['{"seq":2,"entity":"spaceship","id":"X","op":"upsert","data":{}}', 'line 2: entity'],
    ['{"seq":-1,"entity":"office","id":"X","op":"delete"}', 'line 2: seq'],
    ['{"seq":2,"entity":"application","id":"X","op":"upsert","data":{"office":"1","procedureType":"P","channel":"fax","status":"ready","feesPaid":true}}', 'line 2: application X: data.channel'],
    ['{"seq":2,"entity":"key","id":"k","op":"upsert","data":{"alg":"Ed25519","publicKey":"x","notBefore":"yesterday"}}', 'line 2: key k: data.publicKey'],
    ['{"seq":2,"entity":"key","id":"k","op":"upsert","data":{"alg":"none","publicKey":"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="}}', 'line 2: key k: data.alg'],
    ['{"seq":2,"entity":"key","id":"k","op":"upsert","data":{"alg":"Ed25519","publicKey":"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=","notBefore":"yesterday"}}', 'line 2: key k: data.notBefore'],
    ['{"seq":2,"entity":"meta","id":"feed","op":"upsert","data":{"asOf":"1"}}', 'line 2: meta feed: data.asOf'],
  ])('a bad line (%s) stops the import with its line number and leaves the cache as it was', async (bad, message) => {
    await run(ndjson([office(1, 'KEEP', '残る')]));
    const before = { rows: dump(), asOf: cache.view.asOf(), cursor: cache.applier.cursor() };
    const text = ndjson([office(5, 'KEEP', '変更'), office(6, 'NEW', '新')]).replace('\n', `\n${bad}\n`);
    const error = await run(text).catch((e: unknown) => e);
    expect(isKioskError(error, 'FEED_INVALID')).toBe(true);
    expect((error as Error).message).toContain(message);
    expect({ rows: dump(), asOf: cache.view.asOf(), cursor: cache.applier.cursor() }).toEqual(before);
  });
});

describe('importFeed and a running daemon', () => {
  it('holds the write lock only while applying: a slow stdin leaves other writers free meanwhile', async () => {
    const tmp = tempDir();
    const cache = Cache.open(tmp.dir);
    const other = Cache.open(tmp.dir); // a second connection, as the daemon would hold
    try {
      const slow = new PassThrough();
      const importing = importFeed(cache.db, cache.applier, slow);
      slow.write(ndjson([office(1, 'A', '甲')]));
      await new Promise((r) => setTimeout(r, 50));
      // Mid-import, the other connection writes at once instead of waiting for the lock.
      const t = Date.now();
      other.db.prepare("INSERT INTO cache_meta (key, value) VALUES ('probe', 'x')").run();
      expect(Date.now() - t).toBeLessThan(100);
      slow.end(ndjson([office(2, 'B', '乙')]));
      expect((await importing).records).toBe(2);
    } finally {
      other.close();
      cache.close();
      tmp.cleanup();
    }
  });

  it('refuses a line over the limit with its number', async () => {
    const tmp = tempDir();
    const cache = Cache.open(tmp.dir);
    try {
      const text = ndjson([office(1, 'A', '甲')]) + `{"pad":"${'x'.repeat(MAX_FEED_LINE_BYTES)}"}\n`;
      await expect(importFeed(cache.db, cache.applier, Readable.from([text]))).rejects.toThrow(/^line 2: longer than/);
      expect(cache.counts().offices).toBe(0);
    } finally {
      cache.close();
      tmp.cleanup();
    }
  });
});
