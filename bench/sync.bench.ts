// Sync between a kiosk and the reference hub, on 127.0.0.1: the hub (SQLite) in this process, the
// kiosk as `kiosk daemon` in its own process, as deployed.
//   initial sync: 1,000,000 applications of one office, from an empty kiosk to caught up (target
//     ≤ 15 s, kiosk peak RSS < 200 MB);
//   outbox drain: 20,000 queued events sent to the hub (target ≥ 2,000 events/s).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { KioskState } from '../protocol/events.js';
import type { ChangeRecord } from '../protocol/feed-records.js';
import { DAEMON_MIGRATIONS } from '../daemon/controller.js';
import { Outbox } from '../daemon/outbox/outbox.js';
import { Cache } from '../daemon/store/cache.js';
import { openHubStore, startHub } from '../sync/hub/index.js';
import { DEPLOYED_NODE_ARGS, fmt } from './measure.js';

const APPLICATIONS = Number(process.env['BENCH_SYNC_APPLICATIONS'] ?? 1_000_000);
const EVENTS = 20_000;
const OFFICE = '4301';
const root = new URL('../..', import.meta.url).pathname;
const cli = join(root, 'bin/kiosk.js');
const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-sync-'));
const children: ChildProcess[] = [];
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

function* applications(): Generator<ChangeRecord[]> {
  const chunk = 10_000;
  for (let start = 0; start < APPLICATIONS; start += chunk) {
    yield Array.from({ length: Math.min(chunk, APPLICATIONS - start) }, (_, k): ChangeRecord => {
      const i = start + k;
      return {
        seq: 0,
        entity: 'application',
        id: `2026${OFFICE}${String(i).padStart(9, '0')}`,
        op: 'upsert',
        data: { office: OFFICE, procedureType: 'RENEW', channel: 'screen', receiverId: null, status: 'ready', feesPaid: true, individualCodeIssued: false, deliverables: ['certificate', 'sticker'], vehicle: { registration: '熊本 580 あ 12-34', chassisLast4: String(i % 10_000).padStart(4, '0') }, reviewCompletedAt: '2026-11-20T00:00:00Z' },
      };
    });
  }
}

async function startKiosk(dataDir: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  // As deployed (systemd/kiosk.service, npm start): a 128 MB heap, 4 MB semi-spaces.
  const child = spawn(process.execPath, [...DEPLOYED_NODE_ARGS, ...(process.env['BENCH_KIOSK_NODE_ARGS']?.split(' ') ?? []), cli, 'daemon'], { env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', KIOSK_PRINTER: 'none', KIOSK_LOG_LEVEL: 'warn', KIOSK_OFFICE: OFFICE, KIOSK_DEVICE_ID: 'bench-kiosk', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`kiosk exited ${code}: ${err}`)));
  });
  return { child, url };
}

const stateOf = async (url: string) => (await (await fetch(`${url}/api/state`)).json()) as KioskState;

try {
  const store = await openHubStore({ dataDir: join(dir, 'hub') });
  let t = performance.now();
  await store.publish([
    { seq: 0, entity: 'office', id: OFFICE, op: 'upsert', data: { name: { ja: '熊本事務所', en: 'Kumamoto Office' } } },
    { seq: 0, entity: 'procedureType', id: 'RENEW', op: 'upsert', data: { name: { ja: '継続検査', en: 'Periodic inspection' } } },
  ]);
  await store.publishChunks(applications());
  console.log(`hub publish  ${APPLICATIONS} applications in ${fmt((performance.now() - t) / 1000, 1)} s (setup)`);
  const hub = await startHub({ store, port: 0 });
  const token = await store.enroll('bench-kiosk', OFFICE);

  // Initial sync: an empty kiosk until it has caught up.
  const dataDir = join(dir, 'kiosk');
  t = performance.now();
  const kiosk = await startKiosk(dataDir, { KIOSK_UPSTREAM: hub.url, KIOSK_UPSTREAM_TOKEN: token });
  for (;;) {
    const s = await stateOf(kiosk.url);
    if (s.upstream.state === 'online' && !s.upstream.detail && s.cache.asOf !== null) break;
    await wait(50);
  }
  const syncSeconds = (performance.now() - t) / 1000;
  const peak = peakRssMb(kiosk.child.pid!);
  console.log(`initial sync ${APPLICATIONS} applications in ${fmt(syncSeconds, 1)} s = ${fmt(APPLICATIONS / syncSeconds, 0)} records/s, kiosk start included (target ≤ 15 s)`);
  console.log(`kiosk peak RSS during it: ${fmt(peak, 0)} MB (target < 200 MB)`);
  kiosk.child.kill('SIGTERM');
  await new Promise((r) => kiosk.child.once('exit', r));

  // Outbox drain: EVENTS pickups queued while offline, sent once the kiosk runs again.
  const cache = Cache.open(dataDir, DAEMON_MIGRATIONS);
  const outbox = new Outbox(cache.db);
  cache.db.transaction(() => {
    for (let i = 0; i < EVENTS; i++) outbox.add({ id: randomUUID(), type: 'pickup', at: new Date(), data: { receiptNumber: `2026${OFFICE}${String(i).padStart(9, '0')}`, office: OFFICE, ticketId: null, staffId: 's1', deviceId: 'bench-kiosk' } });
  })();
  cache.close();
  const again = await startKiosk(dataDir, { KIOSK_UPSTREAM: hub.url, KIOSK_UPSTREAM_TOKEN: token });
  let first = 0;
  for (;;) {
    const depth = (await stateOf(again.url)).upstream.outboxDepth;
    if (!first && depth < EVENTS) first = performance.now();
    if (depth === 0) break;
    await wait(20);
  }
  const drainSeconds = (performance.now() - first) / 1000;
  console.log(`outbox drain ${EVENTS} events in ${fmt(drainSeconds, 2)} s = ${fmt(EVENTS / drainSeconds, 0)} events/s (target ≥ 2,000/s; first answer to empty)`);
  again.child.kill('SIGTERM');
  await new Promise((r) => again.child.once('exit', r));
  await hub.stop();
  await store.close();
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
