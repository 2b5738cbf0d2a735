// Verification core and cache at production size: 1,000,000 applications and 100,000 receivers,
// generated here. Prints import rate, verifications per second (one core), verify latency and RSS.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';
import { verify } from '../daemon/core/verify.js';
import { Cache } from '../daemon/store/cache.js';
import { importFeedFile } from '../daemon/store/feed-import.js';
import { generateSigningKey, mintKq1, type SigningKey } from '../sync/issuing/kq1-issuer.js';
import { fmt, PeakRss, summarize } from './measure.js';

const APPLICATIONS = 1_000_000;
const RECEIVERS = 100_000;
const OFFICES = ['4301', '4302', '1301'];
const PROCS = ['RENEW', 'NEW', 'CHANGE', 'RETURN'];
const SAMPLES = 20_000;

const now = new Date('2027-01-10T01:00:00Z');
const rcpt = (i: number) => `2026${String(i).padStart(13, '0')}`; // 17 digits

async function writeFeed(file: string, key: SigningKey): Promise<number> {
  const out = createWriteStream(file);
  let seq = 0;
  const write = async (r: object) => {
    if (!out.write(JSON.stringify({ seq: ++seq, ...r }) + '\n')) await once(out, 'drain');
  };
  await write({ entity: 'meta', id: 'feed', op: 'upsert', data: { asOf: '2027-01-10T00:30:00Z' } });
  for (const o of OFFICES) await write({ entity: 'office', id: o, op: 'upsert', data: { name: { ja: `事務所${o}`, en: `Office ${o}` } } });
  for (const p of PROCS) await write({ entity: 'procedureType', id: p, op: 'upsert', data: { name: { ja: p, en: p } } });
  await write({ entity: 'key', id: key.kid, op: 'upsert', data: { alg: 'Ed25519', publicKey: key.publicKeyBase64, notBefore: '2026-01-01T00:00:00Z', notAfter: null, revokedAt: null } });
  for (let i = 0; i < RECEIVERS; i++) {
    await write({ entity: 'receiver', id: `R${i}`, op: 'upsert', data: { name: `株式会社ベンチ${i}`, batchUserId: `IK${i}`, status: 'active', passwordVersion: 1 } });
  }
  for (let i = 0; i < APPLICATIONS; i++) {
    const batch = i % 3 === 0; // a third are batch applications, ~3 per receiver
    await write({
      entity: 'application',
      id: rcpt(i),
      op: 'upsert',
      data: {
        office: OFFICES[i % OFFICES.length],
        procedureType: PROCS[(i >> 2) % PROCS.length],
        channel: batch ? 'batch' : 'screen',
        receiverId: batch ? `R${(i / 3) % RECEIVERS | 0}` : null,
        status: i % 10 === 0 ? 'collected' : 'ready',
        feesPaid: true,
        individualCodeIssued: false,
        deliverables: ['certificate', 'record_printout', 'sticker'],
        vehicle: { registration: '熊本 500 あ 12-34', chassisLast4: String(1000 + (i % 9000)) },
        reviewCompletedAt: '2027-01-05T00:00:00Z',
      },
    });
  }
  out.end();
  await once(out, 'finish');
  return seq;
}

function measureVerify(label: string, cache: Cache, codes: string[]): void {
  const ctx = { office: '4301', mode: 'kiosk' as const, now, maxCacheAgeSeconds: 86_400, data: cache.view };
  for (const c of codes.slice(0, 500)) verify(c, ctx); // warm up
  const latencies: number[] = [];
  const accepted = { n: 0 };
  const reasons = new Map<string, number>();
  const start = performance.now();
  for (const code of codes) {
    const t = performance.now();
    const v = verify(code, ctx);
    latencies.push(performance.now() - t);
    if (v.outcome === 'accepted') accepted.n++;
    reasons.set(v.reason ?? 'accepted', (reasons.get(v.reason ?? 'accepted') ?? 0) + 1);
  }
  const seconds = (performance.now() - start) / 1000;
  const s = summarize(latencies);
  console.log(
    `verify ${label.padEnd(4)} ${fmt(codes.length / seconds, 0).padStart(6)} /s on one core   p50 ${fmt(s.p50)} ms   p99 ${fmt(s.p99)} ms   (${accepted.n}/${codes.length} accepted)`,
  );
  console.log(`             outcomes: ${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ')}`);
}

/** Child process: writes the feed and the codes to scan, so their garbage is not in the measured RSS. */
async function generate(dir: string): Promise<void> {
  const key = generateSigningKey('bench-key');
  const records = await writeFeed(join(dir, 'feed.ndjson'), key);
  const iat = Math.floor(now.getTime() / 1000) - 600;
  const appCodes = Array.from({ length: SAMPLES }, (_, n) => {
    const i = ((n * 7919) % Math.floor(APPLICATIONS / 3)) * 3; // office 4301, so most take the whole accepted path
    return mintKq1({ typ: 'APP', iat, jti: `a${n}`, rcpt: rcpt(i), off: OFFICES[i % OFFICES.length], proc: 'RENEW' }, key);
  });
  const authCodes = Array.from({ length: SAMPLES }, (_, n) => mintKq1({ typ: 'AUTH', iat, jti: `u${n}`, rid: `R${(n * 31) % RECEIVERS}`, proc: PROCS[n % PROCS.length], pwv: 1 }, key));
  writeFileSync(join(dir, 'codes.json'), JSON.stringify({ records, appCodes, authCodes }));
}

async function measure(dir: string): Promise<void> {
  const rss = new PeakRss();
  const feed = join(dir, 'feed.ndjson');
  const { records, appCodes, authCodes } = JSON.parse(readFileSync(join(dir, 'codes.json'), 'utf8')) as { records: number; appCodes: string[]; authCodes: string[] };
  console.log(`feed: ${records} records (${APPLICATIONS} applications, ${RECEIVERS} receivers), ${(statSync(feed).size / 2 ** 20).toFixed(0)} MiB`);

  const cache = Cache.open(join(dir, 'data'));
  const t0 = performance.now();
  await importFeedFile(cache.db, cache.applier, feed, { now }); // the feed is dated at the bench clock, not the wall clock
  const importSeconds = (performance.now() - t0) / 1000;
  console.log(`import       ${fmt(records / importSeconds, 0)} records/s   (${fmt(importSeconds, 1)} s: check and apply every line in one transaction)`);
  measureVerify('APP', cache, appCodes);
  measureVerify('AUTH', cache, authCodes);
  cache.close();
  console.log(`peak RSS     ${fmt(rss.peakMb(), 0)} MB (import and verification of the full cache)`);
}

if (process.argv[2] === 'generate') {
  await generate(process.argv[3]!);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-'));
  try {
    const gen = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'generate', dir], { stdio: 'inherit' });
    if (gen.status !== 0) throw new Error('generating the bench data failed');
    await measure(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
