// Verification core and cache at production size: 1,000,000 applications and 100,000 receivers,
// generated here. Prints, each beside its floor measured in the same process and minute: import
// rate (floor: a bare prepared INSERT of the same rows in one transaction, measured before and after
// the import; and beside it the minimal importer: reading, JSON.parse and that INSERT) and verifications per
// second on one core (floor: bare crypto.verify of the same signed bytes); then latency and RSS.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Statement } from 'better-sqlite3';
import { once } from 'node:events';
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { decodeKq1 } from '../daemon/core/kq1.js';
import { verify } from '../daemon/core/verify.js';
import { checkRecord, type ChangeRecord } from '../protocol/feed-records.js';
import { Cache } from '../daemon/store/cache.js';
import { rowOf } from '../daemon/store/feed-applier.js';
import { feedLines, importFeedFile } from '../daemon/store/feed-import.js';
import { interleaved, rateLine } from './floors.js';
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

/**
 * verify() against its floor, bare crypto.verify over the same signed bytes with a KeyObject parsed
 * once, in alternating rounds of ROUND codes so both see the same load.
 */
function measureVerify(label: string, cache: Cache, codes: string[], publicKey: KeyObject): void {
  const ctx = { office: '4301', mode: 'kiosk' as const, now, maxCacheAgeSeconds: 86_400, data: cache.view };
  const signed = codes.map((c) => {
    const d = decodeKq1(c);
    if (!d.ok) throw new Error('bench code does not decode');
    return { bytes: d.code.signedBytes, signature: d.code.signature };
  });
  for (const c of codes.slice(0, 500)) verify(c, ctx); // warm up
  for (const s of signed.slice(0, 500)) cryptoVerify(null, s.bytes, publicKey, s.signature);
  const ROUND = 1000;
  const latencies: number[] = [];
  const accepted = { n: 0 };
  const reasons = new Map<string, number>();
  let floorFailures = 0;
  const { floorMs, resultMs } = interleaved(
    Math.ceil(codes.length / ROUND),
    (r) => {
      for (const s of signed.slice(r * ROUND, (r + 1) * ROUND)) if (!cryptoVerify(null, s.bytes, publicKey, s.signature)) floorFailures++;
    },
    (r) => {
      for (const code of codes.slice(r * ROUND, (r + 1) * ROUND)) {
        const t = performance.now();
        const v = verify(code, ctx);
        latencies.push(performance.now() - t);
        if (v.outcome === 'accepted') accepted.n++;
        reasons.set(v.reason ?? 'accepted', (reasons.get(v.reason ?? 'accepted') ?? 0) + 1);
      }
    },
  );
  if (floorFailures) throw new Error(`${floorFailures} bench signatures did not verify`);
  const s = summarize(latencies);
  console.log(rateLine(`verify ${label}`, '/s', codes.length / (floorMs / 1000), codes.length / (resultMs / 1000), '≥ 90 %'));
  console.log(`             one core   p50 ${fmt(s.p50)} ms   p99 ${fmt(s.p99)} ms   (${accepted.n}/${codes.length} accepted)`);
  console.log(`             outcomes: ${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ')}`);
}

/**
 * The import's floors, into a fresh database of the same schema in one transaction: the same rows
 * written with a bare prepared INSERT (`insertPerSecond`: the rows built beforehand, untimed, in
 * chunks), and that plus reading the file and JSON.parse of each line (`minimalPerSecond`: the least
 * any importer of this file must do). Checking each record and building its row are not timed.
 */
function importFloors(feed: string, dataDir: string): { insertPerSecond: number; minimalPerSecond: number } {
  const cache = Cache.open(dataDir);
  const inserts = new Map<string, Statement<unknown[]>>();
  let rows = 0;
  let insertMs = 0;
  let readMs = 0;
  let commitStarted = 0;
  cache.db.transaction(() => {
    let chunk: { table: string; columns: string[]; values: unknown[] }[] = [];
    const flush = () => {
      const t = performance.now();
      for (const row of chunk) {
        let insert = inserts.get(row.table);
        if (!insert) inserts.set(row.table, (insert = cache.db.prepare(`INSERT INTO ${row.table} (${row.columns.join(', ')}) VALUES (${row.columns.map(() => '?').join(', ')})`)));
        insert.run(...row.values);
      }
      insertMs += performance.now() - t;
      rows += chunk.length;
      chunk = [];
    };
    const lines = feedLines(feed);
    for (;;) {
      const t = performance.now();
      const next = lines.next();
      const json: unknown = next.done ? undefined : JSON.parse(next.value.line);
      readMs += performance.now() - t;
      if (next.done) break;
      const checked = checkRecord(json);
      if (!checked.ok || checked.record.op !== 'upsert') throw new Error('bench feed line does not check');
      const row = rowOf(checked.record as ChangeRecord & { op: 'upsert' });
      if (row) chunk.push(row);
      if (chunk.length === 50_000) flush();
    }
    flush();
    commitStarted = performance.now();
  })();
  insertMs += performance.now() - commitStarted; // the commit belongs to the floor too
  cache.close();
  rmSync(dataDir, { recursive: true, force: true });
  return { insertPerSecond: rows / (insertMs / 1000), minimalPerSecond: rows / ((insertMs + readMs) / 1000) };
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

  const before = importFloors(feed, join(dir, 'floor-before'));
  const cache = Cache.open(join(dir, 'data'));
  const t0 = performance.now();
  await importFeedFile(cache.db, cache.applier, feed, { now }); // the feed is dated at the bench clock, not the wall clock
  const importSeconds = (performance.now() - t0) / 1000;
  const after = importFloors(feed, join(dir, 'floor-after'));
  const importRate = records / importSeconds;
  console.log(rateLine('import', 'rows/s', (before.insertPerSecond + after.insertPerSecond) / 2, importRate, '≥ 90 %'));
  console.log(rateLine('  vs minimal', 'rows/s', (before.minimalPerSecond + after.minimalPerSecond) / 2, importRate, 'read + JSON.parse + INSERT'));
  console.log(`             ${fmt(importSeconds, 1)} s: read, check and apply every line in one transaction; floors before ${fmt(before.insertPerSecond, 0)} / ${fmt(before.minimalPerSecond, 0)}, after ${fmt(after.insertPerSecond, 0)} / ${fmt(after.minimalPerSecond, 0)} rows/s`);
  const keyRecord = cache.db.prepare('SELECT public_key FROM signing_keys').get() as { public_key: string };
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(keyRecord.public_key, 'base64').toString('base64url') }, format: 'jwk' });
  measureVerify('APP', cache, appCodes, publicKey);
  measureVerify('AUTH', cache, authCodes, publicKey);
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
