// The reference hub under load, as deployed: `kiosk hub` processes on a real PostgreSQL server
// (Debian's, started here with fsync on) and on SQLite, and simulated kiosks as plain HTTP loops.
//   1. publish → seen by each of 200 long-polling kiosks, 2 hub processes on PostgreSQL;
//   2. events accepted from 200 kiosks posting at once, on PostgreSQL (2 processes) and SQLite;
//   3. an initial sync of 1,000,000 applications of one office, read page by page over HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChangeRecord } from '../protocol/feed-records.js';
import { openHubStore, type HubStore } from '../sync/hub/index.js';
import { startPostgres } from '../tests/support/postgres.js';
import { fmt, summarize } from './measure.js';

const KIOSKS = 200;
const ROUNDS = 20;
const OFFICE = '4301';
const BIG = Number(process.env['HUB_BENCH_APPS'] ?? 1_000_000);
const root = new URL('../..', import.meta.url).pathname;
const children: ChildProcess[] = [];
const dirs: string[] = [];
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

const app = (id: string): ChangeRecord => ({
  seq: 0,
  entity: 'application',
  id,
  op: 'upsert',
  data: { office: OFFICE, procedureType: 'RENEW', channel: 'screen', status: 'ready', feesPaid: true, individualCodeIssued: false, deliverables: ['certificate', 'sticker'], vehicle: { registration: '熊本 580 あ 12-34', chassisLast4: '1234' }, reviewCompletedAt: '2026-11-20T00:00:00Z' },
});
const receipt = (prefix: string, i: number) => `${prefix}${String(i).padStart(17 - prefix.length, '0')}`;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-hub-'));
  dirs.push(dir);
  return dir;
}

async function hubProcess(env: Record<string, string>, args: string[]): Promise<string> {
  const child = spawn(process.execPath, [join(root, 'bin/kiosk.js'), 'hub', '--port', '0', ...args], { env: { ...process.env, KIOSK_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'inherit', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /hub listening on (\S+)/.exec(err);
      if (m) resolve(m[1]!);
      if (m) process.stderr.write(d.toString().replace(/^kiosk: hub listening on \S+.*\n/m, '')); // later complaints show
    });
    child.once('exit', (code) => reject(new Error(`hub exited ${code}: ${err}`)));
  });
}

// node:http with keep-alive rather than fetch: the simulated kiosks should cost this process little.
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

function httpJson<T>(url: string, token: string, body?: object): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: payload ? 'POST' : 'GET', headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`${url}: HTTP ${res.statusCode} ${text.slice(0, 200)}`));
        else resolve(JSON.parse(text) as T);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

interface Page {
  head: number;
  next: number;
  more: boolean;
  changes: Array<{ id: string }>;
}

/** 1. Each kiosk long-polls in a loop; every round one application is published; latency publish → seen. */
async function fanOut(store: HubStore, hubs: string[]): Promise<void> {
  const tokens = await Promise.all(Array.from({ length: KIOSKS }, (_, i) => store.enroll(`fan-${i}`, OFFICE)));
  const { head } = await store.info();
  const seen = new Map<string, number[]>(); // receipt → arrival times
  let stop = false;
  const loops = tokens.map(async (token, i) => {
    let cursor = head;
    while (!stop) {
      const page = await httpJson<Page>(`${hubs[i % hubs.length]}/sync/v1/changes?since=${cursor}&wait=30&office=${OFFICE}`, token);
      const now = performance.now();
      for (const c of page.changes) seen.get(c.id)?.push(now);
      cursor = page.next;
    }
  });
  await wait(1000); // every kiosk is waiting
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const id = receipt('20261201', round);
    const arrivals: number[] = [];
    seen.set(id, arrivals);
    const t0 = performance.now();
    await store.publish([app(id)]);
    while (arrivals.length < KIOSKS) await wait(5);
    samples.push(...arrivals.map((t) => t - t0));
    await wait(300); // all back to waiting
  }
  stop = true;
  await store.publish([app(receipt('20261202', 0))]); // release the loops
  await Promise.all(loops);
  const s = summarize(samples);
  console.log(`publish → seen by ${KIOSKS} long-polling kiosks (PostgreSQL, ${hubs.length} hub processes, ${ROUNDS} rounds): p50 ${fmt(s.p50, 1)} ms, p99 ${fmt(s.p99, 1)} ms, max ${fmt(s.max, 1)} ms (target p99 ≤ 1000 ms)`);
}

/** 2. KIOSKS devices post `batches` batches of `size` events each, all at once. */
async function eventsAtOnce(label: string, store: HubStore, hubs: string[], batches: number, size: number): Promise<void> {
  const tag = randomUUID().slice(0, 8);
  const tokens = await Promise.all(Array.from({ length: KIOSKS }, (_, i) => store.enroll(`ev-${tag}-${i}`, OFFICE)));
  const pickups = Math.ceil(size / 2);
  const prefix = `2026${String(Math.floor(Math.random() * 9000) + 1000)}`;
  const apps: ChangeRecord[] = [];
  for (let k = 0; k < KIOSKS; k++) for (let b = 0; b < batches; b++) for (let e = 0; e < pickups; e++) apps.push(app(receipt(prefix, (k * batches + b) * pickups + e)));
  await store.publish(apps);
  const latencies: number[] = [];
  let conflicts = 0;
  const t0 = performance.now();
  await Promise.all(
    tokens.map(async (token, k) => {
      for (let b = 0; b < batches; b++) {
        const now = new Date().toISOString();
        const events = Array.from({ length: size }, (_, e) => ({
          id: randomUUID(),
          type: e < pickups ? 'pickup' : 'ticket',
          at: now,
          deviceTime: now,
          data: e < pickups ? { receiptNumber: receipt(prefix, (k * batches + b) * pickups + e), office: OFFICE, staffId: 's1' } : { ticketId: randomUUID(), number: 'A-001' },
        }));
        const started = performance.now();
        const body = await httpJson<{ results: Array<{ status: string }> }>(`${hubs[k % hubs.length]}/sync/v1/events`, token, {
          deviceId: `ev-${tag}-${k}`,
          office: OFFICE,
          auditHead: { seq: b + 1, hash: 'a'.repeat(64) },
          events,
        });
        conflicts += body.results.filter((r) => r.status !== 'applied').length;
        latencies.push(performance.now() - started);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const total = KIOSKS * batches * size;
  const s = summarize(latencies);
  console.log(
    `events from ${KIOSKS} kiosks at once, ${label}: ${batches} batch(es) of ${size} (${pickups} pickups) each = ${total} events in ${fmt(seconds, 2)} s: ${Math.round(total / seconds)} events/s; batch p50 ${fmt(s.p50, 0)} ms, p99 ${fmt(s.p99, 0)} ms${conflicts ? `; ${conflicts} not applied!` : ''}`,
  );
}

/** 3. BIG applications of one office (and as many of another), then a kiosk's initial sync over HTTP. */
async function initialSync(label: string, store: HubStore, hub: string): Promise<void> {
  const token = await store.enroll(`sync-${randomUUID().slice(0, 8)}`, OFFICE);
  const t0 = performance.now();
  const chunk = 50_000;
  function* chunks(): Generator<ChangeRecord[]> {
    for (let i = 0; i < BIG; i += chunk) yield Array.from({ length: Math.min(chunk, BIG - i) }, (_, j) => app(receipt('20261130', i + j)));
  }
  const published = await store.publishChunks(chunks());
  const seedS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let cursor = 0;
  let records = 0;
  let bytes = 0;
  let pages = 0;
  let parseMs = 0;
  for (;;) {
    const body = await new Promise<Buffer>((resolve, reject) => {
      request(`${hub}/sync/v1/changes?since=${cursor}&limit=10000&office=${OFFICE}`, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      })
        .on('error', reject)
        .end();
    });
    // The cursor from the envelope's head (next and more come before the records), so the hub's
    // side is timed apart from the kiosk's parse, which is timed on its own below.
    const envelope = /"next":(\d+),"more":(true|false)/.exec(body.subarray(0, 512).toString())!;
    const p0 = performance.now();
    records += (JSON.parse(body.toString('utf8')) as Page).changes.length;
    parseMs += performance.now() - p0;
    bytes += body.length;
    pages++;
    cursor = Number(envelope[1]);
    if (envelope[2] === 'false') break;
  }
  const readS = (performance.now() - t1 - parseMs) / 1000;
  console.log(
    `initial sync, ${label}: publish ${published.changed.toLocaleString('en')} applications ${fmt(seedS, 1)} s (${Math.round(published.changed / seedS).toLocaleString('en')}/s); ` +
      `serve ${records.toLocaleString('en')} records in ${pages} pages (${fmt(bytes / 2 ** 20, 0)} MiB) over HTTP ${fmt(readS, 1)} s (${Math.round(records / readS).toLocaleString('en')} records/s); ` +
      `the kiosk's JSON.parse of them ${fmt(parseMs / 1000, 1)} s`,
  );
}

// HUB_BENCH_PARTS=fanout,events,sync picks parts (default: all); HUB_BENCH_APPS sizes the initial sync.
const parts = new Set((process.env['HUB_BENCH_PARTS'] ?? 'fanout,events,sync').split(','));
const pgServer = await startPostgres({ fsync: true, maxConnections: 300 });
try {
  const databaseUrl = await pgServer.createDatabase();
  const pgStore = await openHubStore({ databaseUrl });
  const pgHubs = await Promise.all([hubProcess({ DATABASE_URL: databaseUrl }, []), hubProcess({ DATABASE_URL: databaseUrl }, [])]);
  const dataDir = tempDir();
  const sqliteStore = await openHubStore({ dataDir, busyTimeoutMs: 30_000 });
  const sqliteHub = await hubProcess({}, ['--data', dataDir]);
  if (parts.has('fanout')) await fanOut(pgStore, pgHubs);
  if (parts.has('events')) {
    await eventsAtOnce('PostgreSQL, 2 hub processes', pgStore, pgHubs, 10, 1);
    await eventsAtOnce('PostgreSQL, 2 hub processes', pgStore, pgHubs, 5, 10);
    await eventsAtOnce('SQLite, 1 hub process', sqliteStore, [sqliteHub], 10, 1);
    await eventsAtOnce('SQLite, 1 hub process', sqliteStore, [sqliteHub], 5, 10);
  }
  if (parts.has('sync')) {
    await initialSync('SQLite', sqliteStore, sqliteHub);
    await initialSync('PostgreSQL', pgStore, pgHubs[0]!);
  }
  await sqliteStore.close();
  await pgStore.close();
} finally {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  await pgServer.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
