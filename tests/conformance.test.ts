// Every case of the shared KQ1 suite, through the code the CLI and the daemon use:
// importFeed into a real SQLite file, then verify against CacheView.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../daemon/core/verify.js';
import { Cache } from '../daemon/store/cache.js';
import { importFeed } from '../daemon/store/feed-import.js';
import { fixtureKeys, publicCases, publicFeedText, tempDir } from './support/fixtures.js';

describe('public KQ1 conformance suite', () => {
  const tmp = tempDir();
  let cache: Cache;

  beforeAll(async () => {
    cache = Cache.open(tmp.dir);
    await importFeed(cache.db, cache.applier, Readable.from([publicFeedText()]));
  });
  afterAll(() => {
    cache.close();
    tmp.cleanup();
  });

  it('has the 48 cases the spec promises', () => {
    expect(publicCases()).toHaveLength(48);
  });

  it.each(publicCases().map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const verdict = verify(c.text, { office: c.device.office, mode: c.device.mode, now: new Date(c.now), maxCacheAgeSeconds: 86_400, data: cache.view });
    expect({
      outcome: verdict.outcome,
      reason: verdict.reason,
      collect: verdict.applications.map((a) => a.receiptNumber).sort(),
      excluded: verdict.excluded.map((a) => a.receiptNumber).sort(),
    }).toEqual({ outcome: c.expect.outcome, reason: c.expect.reason ?? null, collect: [...c.expect.collect].sort(), excluded: [...c.expect.excluded].sort() });
    if (c.expect.codeType) expect(verdict.codeType).toBe(c.expect.codeType);
    expect(verdict.message.ja.length).toBeGreaterThan(0);
    expect(verdict.message.en.length).toBeGreaterThan(0);
  });

  it('the fixture signing seeds match the public keys in the feed', () => {
    const feedKeys = new Map(
      publicFeedText()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { entity: string; id: string; data: { publicKey?: string } })
        .filter((r) => r.entity === 'key')
        .map((r) => [r.id, r.data.publicKey]),
    );
    const keys = fixtureKeys();
    expect(feedKeys.get(keys.current.kid)).toBe(keys.current.publicKeyBase64);
    expect(feedKeys.get(keys.old.kid)).toBe(keys.old.publicKeyBase64);
  });
});
