// The project's KQ1 suite (tests/fixtures/kq1) is what scripts/generate-fixtures.ts makes, and it
// covers what it claims: every reason, both modes, several offices, keys of every standing, and a
// feed with overrides, deletes and seq out of file order. conformance.test.ts runs its cases; the
// tests below add what a case file cannot say: which office a WRONG_OFFICE names, and a revoke
// arriving after the codes it kills.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REASONS } from '../protocol/verdict.js';
import { decodeKq1 } from '../daemon/core/kq1.js';
import { verify } from '../daemon/core/verify.js';
import { Cache } from '../daemon/store/cache.js';
import { importFeed } from '../daemon/store/feed-import.js';
import { mintKq1 } from '../sync/issuing/kq1-issuer.js';
import { APPS, AS_OF, buildKq1Fixtures, KEY_ROLES, NOW, OFFICES } from '../scripts/kq1-fixtures/index.js';
import { FIXTURE_DIR, ndjson, projectSuite, tempDir } from './support/fixtures.js';

const cases = projectSuite.cases();
const feed = projectSuite
  .feedText()
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { seq: number; entity: string; id: string; op: string; data?: Record<string, unknown> });

describe('project KQ1 suite: the files', () => {
  it('are exactly what scripts/generate-fixtures.ts makes (run `npm run fixtures` after changing it)', () => {
    for (const [name, text] of Object.entries(buildKq1Fixtures())) expect(readFileSync(new URL(name, FIXTURE_DIR), 'utf8'), name).toBe(text);
  });

  it('give every reason of the decision table, and every outcome', () => {
    const reasons = new Set(cases.map((c) => c.expect.reason));
    expect(REASONS.filter((r) => !reasons.has(r))).toEqual([]);
    expect(new Set(cases.map((c) => c.expect.outcome))).toEqual(new Set(['accepted', 'rejected', 'refer']));
    expect(new Set(cases.map((c) => c.expect.codeType))).toEqual(new Set(['APP', 'AUTH', 'REG', 'PWD', null]));
  });

  it('scan at kiosks and counters of several offices, at more than one clock', () => {
    expect(new Set(cases.map((c) => c.device.mode))).toEqual(new Set(['kiosk', 'counter']));
    expect(new Set(cases.map((c) => c.device.office))).toEqual(new Set([OFFICES.kumamoto, OFFICES.yatsushiro, OFFICES.osaka]));
    expect(new Set(cases.map((c) => c.now)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('sign with keys current, old, revoked, not yet valid, deleted and unknown', () => {
    const kids = new Set(cases.map((c) => decodeKq1(c.text)).flatMap((d) => (d.ok ? [d.code.payload['kid']] : [])));
    expect(Object.values(KEY_ROLES).filter((kid) => !kids.has(kid))).toEqual([]);
    const published = new Set(feed.filter((r) => r.entity === 'key').map((r) => r.id));
    expect(published.has(KEY_ROLES.stranger)).toBe(false);
    expect(feed.some((r) => r.entity === 'key' && r.id === KEY_ROLES.withdrawn && r.op === 'delete')).toBe(true);
  });

  it('feed: later records override earlier ones, deletes, and seq out of file order', () => {
    const byId = new Map<string, number[]>();
    for (const r of feed) byId.set(`${r.entity}/${r.id}`, [...(byId.get(`${r.entity}/${r.id}`) ?? []), r.seq]);
    const overridden = [...byId].filter(([, seqs]) => seqs.length > 1).map(([id]) => id.split('/')[0]);
    expect(new Set(overridden)).toEqual(new Set(['office', 'key', 'receiver', 'application']));
    expect(new Set(feed.filter((r) => r.op === 'delete').map((r) => r.entity))).toEqual(new Set(['office', 'key', 'receiver', 'application']));
    const outOfOrder = [...byId].filter(([, seqs]) => seqs.some((s, i) => i > 0 && s < (seqs[i - 1] ?? 0)));
    expect(outOfOrder.length).toBeGreaterThan(0);
    expect(feed.map((r) => r.seq).sort((a, b) => a - b)).toEqual(feed.map((_, i) => i + 1)); // seq 1..n, each once
  });
});

describe('project KQ1 suite: what a case file cannot say', () => {
  const tmp = tempDir();
  let cache: Cache;
  const keys = projectSuite.keys();
  const current = keys['current']!;
  const now = new Date(NOW);
  const ctx = () => ({ office: OFFICES.kumamoto, mode: 'kiosk' as const, now, maxCacheAgeSeconds: 86_400, data: cache.view });
  const appCode = (rcpt: string) => mintKq1({ typ: 'APP', iat: now.getTime() / 1000 - 60, jti: `j-${rcpt}`, rcpt, off: OFFICES.kumamoto, proc: 'RENEW' }, current);

  beforeAll(async () => {
    cache = Cache.open(tmp.dir);
    await importFeed(cache.db, cache.applier, Readable.from([projectSuite.feedText()]));
    // Importing the same file again changes nothing.
    await importFeed(cache.db, cache.applier, Readable.from([projectSuite.feedText()]));
  });
  afterAll(() => {
    cache.close();
    tmp.cleanup();
  });

  it('WRONG_OFFICE names the office, with the name a later record gave it', () => {
    const v = verify(appCode(APPS.atOsaka), ctx());
    expect(v.detail?.office).toEqual({ code: OFFICES.osaka, name: { ja: '大阪事務所', en: 'Osaka Office' } });
    expect(v.message.ja).toContain('大阪事務所');
  });

  it('WRONG_OFFICE for an office the feed deleted gives its code and no name', () => {
    const v = verify(appCode(APPS.atClosedOffice), ctx());
    expect([v.reason, v.detail?.office]).toEqual(['WRONG_OFFICE', { code: OFFICES.aso, name: null }]);
  });

  it('the cache holds the data as of the feed', () => {
    expect(cache.view.asOf()?.toISOString()).toBe(new Date(AS_OF).toISOString());
  });

  it('a revoke published later kills codes the key signed earlier', async () => {
    const code = appCode(APPS.ready);
    expect(verify(code, ctx()).outcome).toBe('accepted');
    const record = feed.find((r) => r.entity === 'key' && r.id === current.kid)!;
    const revoke = { ...record, seq: 100, data: { ...record.data, revokedAt: '2026-11-27T00:59:00Z' } };
    await importFeed(cache.db, cache.applier, Readable.from([ndjson([revoke])]), { now });
    expect(verify(code, ctx()).reason).toBe('KEY_NOT_VALID');
  });
});
