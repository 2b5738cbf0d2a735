// A suite of our own, built the way the shared one is, so the kiosk implements the spec rather
// than the fixture: another office, a freshly generated key, receivers and applications whose
// later feed records override earlier ones, deletes, and records out of order.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceMode } from '../protocol/verdict.js';
import { verify } from '../daemon/core/verify.js';
import { Cache } from '../daemon/store/cache.js';
import { importFeed } from '../daemon/store/feed-import.js';
import { generateSigningKey, mintKq1 } from '../sync/issuing/kq1-issuer.js';
import { ndjson, tempDir } from './support/fixtures.js';

const NOW = new Date('2027-03-01T03:00:00Z');
const iat = Math.floor(NOW.getTime() / 1000) - 3600;
const key = generateSigningKey('k-osaka-1');
const rotated = generateSigningKey('k-osaka-0');

const app = (id: string, data: Record<string, unknown>) => ({
  entity: 'application',
  id,
  op: 'upsert',
  data: { office: '2701', procedureType: 'RENEW', channel: 'screen', receiverId: null, status: 'ready', feesPaid: true, individualCodeIssued: false, deliverables: ['certificate', 'sticker'], vehicle: { registration: '大阪 580 あ 12-34' }, reviewCompletedAt: '2027-02-27T00:00:00Z', ...data },
});

// seq deliberately not in file order: the feed is applied by seq, whatever the line order.
const records = [
  { seq: 1, entity: 'meta', id: 'feed', op: 'upsert', data: { asOf: '2027-03-01T02:30:00Z' } },
  { seq: 2, entity: 'office', id: '2701', op: 'upsert', data: { name: { ja: '大阪事務所', en: 'Osaka Office' } } },
  { seq: 3, entity: 'office', id: '2702', op: 'upsert', data: { name: { ja: '大阪事務所 堺支所', en: 'Osaka Office, Sakai Branch' } } },
  { seq: 4, entity: 'key', id: key.kid, op: 'upsert', data: { alg: 'Ed25519', publicKey: key.publicKeyBase64, notBefore: '2027-01-01T00:00:00Z', notAfter: null, revokedAt: null } },
  { seq: 5, entity: 'key', id: rotated.kid, op: 'upsert', data: { alg: 'Ed25519', publicKey: rotated.publicKeyBase64, notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z', revokedAt: null } },
  { seq: 6, entity: 'receiver', id: 'RX1', op: 'upsert', data: { name: '堺モータース株式会社', batchUserId: 'IK1', status: 'active', passwordVersion: 1 } },
  { seq: 20, entity: 'receiver', id: 'RX1', op: 'upsert', data: { name: '堺モータース株式会社', batchUserId: 'IK1', status: 'active', passwordVersion: 2 } },
  { seq: 7, ...app('A-OVERRIDDEN', { status: 'reviewing' }) },
  { seq: 21, ...app('A-OVERRIDDEN', { status: 'ready' }) },
  { seq: 22, ...app('A-STALE-LINE', { status: 'ready' }) },
  { seq: 8, ...app('A-STALE-LINE', { status: 'withdrawn' }) }, // older seq after a newer one: ignored
  { seq: 9, ...app('A-DELETED', {}) },
  { seq: 23, entity: 'application', id: 'A-DELETED', op: 'delete' },
  { seq: 10, ...app('A-SAKAI', { office: '2702' }) },
  { seq: 11, ...app('B-1', { channel: 'batch', receiverId: 'RX1', procedureType: 'NEW' }) },
  { seq: 12, ...app('B-2', { channel: 'batch', receiverId: 'RX1', procedureType: 'NEW', status: 'collected' }) },
  { seq: 13, ...app('B-3', { channel: 'batch', receiverId: 'RX1', procedureType: 'NEW', individualCodeIssued: true }) },
  { seq: 14, ...app('B-4', { channel: 'batch', receiverId: 'RX1', procedureType: 'NEW', office: '2702' }) },
  { seq: 15, entity: 'receiver', id: 'RX-GONE', op: 'upsert', data: { name: '消える商会', status: 'active', passwordVersion: 0 } },
  { seq: 24, entity: 'receiver', id: 'RX-GONE', op: 'delete' },
  { seq: 16, entity: 'receiver', id: 'RX-PENDING', op: 'upsert', data: { name: '新規登録予定', batchUserId: 'IK9', status: 'pending', passwordVersion: 0 } },
];

const appCode = (rcpt: string, extra: Record<string, unknown> = {}, k = key) => mintKq1({ typ: 'APP', iat, jti: `j-${rcpt}`, rcpt, off: '2701', proc: 'RENEW', ...extra }, k);
const authCode = (rid: string, pwv: number, proc = 'NEW') => mintKq1({ typ: 'AUTH', iat, jti: `j-${rid}`, rid, proc, pwv }, key);

type Want = [outcome: string, reason: string | null, collect?: string[], excluded?: string[]];
const cases: [name: string, text: () => string, want: Want, mode?: DeviceMode][] = [
  ['later record overrides earlier', () => appCode('A-OVERRIDDEN'), ['accepted', null, ['A-OVERRIDDEN']]],
  ['older record after newer is ignored', () => appCode('A-STALE-LINE'), ['accepted', null, ['A-STALE-LINE']]],
  ['deleted application is unknown', () => appCode('A-DELETED'), ['rejected', 'UNKNOWN_APPLICATION']],
  ['other office of the same prefecture', () => appCode('A-SAKAI'), ['rejected', 'WRONG_OFFICE']],
  ['rotated key: code issued while valid', () => appCode('A-OVERRIDDEN', { iat: Date.parse('2026-12-01T00:00:00Z') / 1000 }, rotated), ['accepted', null, ['A-OVERRIDDEN']]],
  ['rotated key: code issued after it stopped', () => appCode('A-OVERRIDDEN', {}, rotated), ['rejected', 'KEY_NOT_VALID']],
  ['AUTH at the updated password version', () => authCode('RX1', 2), ['accepted', null, ['B-1'], ['B-3']]],
  ['AUTH at the overridden version', () => authCode('RX1', 1), ['rejected', 'PASSWORD_CHANGED']],
  ['AUTH ahead of the cache', () => authCode('RX1', 3), ['refer', 'CACHE_BEHIND']],
  ['AUTH for another procedure', () => authCode('RX1', 2, 'RENEW'), ['rejected', 'NOTHING_TO_COLLECT']],
  ['AUTH of a deleted receiver', () => authCode('RX-GONE', 0), ['rejected', 'UNKNOWN_RECEIVER']],
  ['REG for a pending receiver at the counter', () => mintKq1({ typ: 'REG', iat, jti: 'r1', rid: 'RX-PENDING', name: '新規登録予定', bid: 'IK9' }, key), ['accepted', null], 'counter'],
  ['REG for an unknown receiver at the counter', () => mintKq1({ typ: 'REG', iat, jti: 'r2', rid: 'RX-NEW', name: '新しい商会', bid: 'IK8' }, key), ['accepted', null], 'counter'],
  ['PWD next version at the counter', () => mintKq1({ typ: 'PWD', iat, jti: 'p1', rid: 'RX1', name: '堺モータース株式会社', pwv: 3 }, key), ['accepted', null], 'counter'],
  ['PWD for a deleted receiver', () => mintKq1({ typ: 'PWD', iat, jti: 'p2', rid: 'RX-GONE', name: '消える商会', pwv: 1 }, key), ['rejected', 'UNKNOWN_RECEIVER'], 'counter'],
  ['exp exactly now has expired (JWT: invalid from that second on)', () => appCode('A-OVERRIDDEN', { exp: NOW.getTime() / 1000 }), ['rejected', 'CODE_EXPIRED']],
  ['exp one second ago has expired', () => appCode('A-OVERRIDDEN', { exp: NOW.getTime() / 1000 - 1 }), ['rejected', 'CODE_EXPIRED']],
  ['iat 300 s ahead is clock skew', () => appCode('A-OVERRIDDEN', { iat: NOW.getTime() / 1000 + 300 }), ['accepted', null, ['A-OVERRIDDEN']]],
  ['iat 301 s ahead is from the future', () => appCode('A-OVERRIDDEN', { iat: NOW.getTime() / 1000 + 301 }), ['rejected', 'CODE_NOT_YET_VALID']],
  ['v as a string is malformed', () => appCode('A-OVERRIDDEN', { v: '1' }), ['rejected', 'MALFORMED']],
  ['v 2 is unsupported even with other fields', () => mintKq1({ v: 2, typ: 'APP2', whatever: true }, key), ['rejected', 'UNSUPPORTED_VERSION']],
  ['pwv not an integer is malformed', () => mintKq1({ typ: 'AUTH', iat, jti: 'x', rid: 'RX1', proc: 'NEW', pwv: 2.5 }, key), ['rejected', 'MALFORMED']],
  ['payload a JSON array is malformed', () => 'KQ1' + 'ABC', ['rejected', 'MALFORMED']],
];

describe('generated suite (office 2701, generated keys, overrides and deletes)', () => {
  const tmp = tempDir();
  let cache: Cache;
  beforeAll(async () => {
    cache = Cache.open(tmp.dir);
    await importFeed(cache.db, cache.applier, Readable.from([ndjson(records)]), { now: NOW });
    // Importing the same file again changes nothing.
    await importFeed(cache.db, cache.applier, Readable.from([ndjson(records)]), { now: NOW });
  });
  afterAll(() => {
    cache.close();
    tmp.cleanup();
  });

  it.each(cases)('%s', (_name, text, [outcome, reason, collect = [], excluded = []], mode = 'kiosk') => {
    const v = verify(text(), { office: '2701', mode, now: NOW, maxCacheAgeSeconds: 86_400, data: cache.view });
    expect([v.outcome, v.reason, v.applications.map((a) => a.receiptNumber), v.excluded.map((a) => a.receiptNumber)]).toEqual([outcome, reason, collect, excluded]);
  });

  it('names the right office for WRONG_OFFICE', () => {
    const v = verify(appCode('A-SAKAI'), { office: '2701', mode: 'kiosk', now: NOW, maxCacheAgeSeconds: 86_400, data: cache.view });
    expect(v.detail?.office).toEqual({ code: '2702', name: { ja: '大阪事務所 堺支所', en: 'Osaka Office, Sakai Branch' } });
    expect(v.message.ja).toContain('堺支所');
  });

  it('a revoke published later kills codes the key signed earlier', async () => {
    const { dir, cleanup } = tempDir();
    const c2 = Cache.open(dir);
    try {
      await importFeed(c2.db, c2.applier, Readable.from([ndjson(records)]), { now: NOW });
      const code = appCode('A-OVERRIDDEN');
      const ctx = { office: '2701', mode: 'kiosk' as const, now: NOW, maxCacheAgeSeconds: 86_400, data: c2.view };
      expect(verify(code, ctx).outcome).toBe('accepted');
      const revoke = { seq: 30, entity: 'key', id: key.kid, op: 'upsert', data: { alg: 'Ed25519', publicKey: key.publicKeyBase64, notBefore: '2027-01-01T00:00:00Z', notAfter: null, revokedAt: '2027-03-01T02:59:00Z' } };
      await importFeed(c2.db, c2.applier, Readable.from([ndjson([revoke])]), { now: NOW });
      expect(verify(code, ctx).reason).toBe('KEY_NOT_VALID');
    } finally {
      c2.close();
      cleanup();
    }
  });
});
