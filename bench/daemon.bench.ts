// The daemon as deployed: `kiosk daemon` (DEPLOYED_NODE_ARGS: 128 MB heap, 4 MB semi-spaces, as
// systemd/kiosk.service) in its own process,
// 1,000,000 applications in its cache, a serial scanner on a socat pty and the virtual printer.
// Each number stands beside its floor, measured in the same process and the same minute:
//   tty write → `verdict` on a /kiosk socket, 200 scans after warm-up, interleaved one by one with
//     the floor: a write → read through a second pty pair opened by this process with the daemon's
//     own serial transport, plus a Socket.IO loopback echo of the same verdict (target p99 ≤ 5 ms
//     and ≤ 3 × the floor's p99);
//   the daemon's RSS over 10,000 scans, beside a bare Node process holding the same SQLite file
//     open (target < 150 MB and flat). RSS is read from /proc, so the bench's own is not counted.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import type { VerdictEvent } from '../protocol/events.js';
import { VirtualPrinter } from '../drivers/index.js';
import { openSerialTransport } from '../drivers/scanner/serial-transport.js';
import { generateSigningKey, mintKq1 } from '../sync/issuing/kq1-issuer.js';
import { DEPLOYED_NODE_ARGS, fmt, summarize } from './measure.js';

const APPLICATIONS = Number(process.env['BENCH_DAEMON_APPLICATIONS'] ?? 1_000_000);
const SCANS = 10_000;
const WARM_UP = 100;
const MEASURED = 200;
const DISTINCT_CODES = 5_000; // each code comes round again after ~5 s: a repeat, not a double read
const root = new URL('../..', import.meta.url).pathname;
const cli = join(root, 'bin/kiosk.js');
const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-daemon-'));
const children: ChildProcess[] = [];

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
/** The next `event` a Socket.IO client receives (events.once wants an EventTarget or EventEmitter). */
const next = <T>(socket: Socket, event: string) => new Promise<T>((r) => socket.once(event, (v: T) => r(v)));
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rcpt = (i: number) => `20264301${String(i).padStart(9, '0')}`;
/** Spread the scanned codes over the whole cache, as real scans are. */
const scannedApplication = (n: number) => (n * 7919) % APPLICATIONS;

async function writeFeed(file: string, key: ReturnType<typeof generateSigningKey>, now: Date): Promise<void> {
  const out = createWriteStream(file);
  let seq = 0;
  const write = async (r: object) => {
    if (!out.write(JSON.stringify({ seq: ++seq, ...r }) + '\n')) await once(out, 'drain');
  };
  await write({ entity: 'meta', id: 'feed', op: 'upsert', data: { asOf: now.toISOString() } });
  await write({ entity: 'office', id: '4301', op: 'upsert', data: { name: { ja: '熊本事務所', en: 'Kumamoto Office' } } });
  await write({ entity: 'key', id: key.kid, op: 'upsert', data: { alg: 'Ed25519', publicKey: key.publicKeyBase64, notBefore: '2026-01-01T00:00:00Z', notAfter: null, revokedAt: null } });
  for (let i = 0; i < APPLICATIONS; i++) {
    await write({
      entity: 'application', id: rcpt(i), op: 'upsert',
      data: { office: '4301', procedureType: 'RENEW', channel: 'screen', status: 'ready', feesPaid: true, deliverables: ['certificate', 'sticker'], vehicle: { registration: '熊本 500 あ 12-34', chassisLast4: String(1000 + (i % 9000)) }, reviewCompletedAt: null },
    });
  }
  out.end();
  await once(out, 'finish');
}

/** A pty pair from socat: [the end a reader opens, the end the feeder writes]. */
async function ptyPair(name: string): Promise<[string, string]> {
  const [a, b] = [join(dir, `${name}-a`), join(dir, `${name}-b`)];
  children.push(spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' }));
  while (!existsSync(a) || !existsSync(b)) await wait(10);
  return [a, b];
}

/** The floor of one scan: the same bytes through a pty to this process's serial transport, then a Socket.IO echo of a verdict. */
async function scanFloor(): Promise<{ sample: (text: string, verdict: VerdictEvent) => Promise<number>; stop: () => Promise<void> }> {
  const [readEnd, writeEnd] = await ptyPair('floor');
  const transport = await openSerialTransport(readEnd, 9600);
  const feeder = await open(writeEnd, 'r+');
  let pending = '';
  let lineDone: (() => void) | undefined;
  transport.stream.on('data', (d: Buffer) => {
    pending += d.toString('latin1');
    if (pending.endsWith('\r')) {
      pending = '';
      lineDone?.();
    }
  });
  const io = new Server(0, { transports: ['websocket'] });
  io.of('/kiosk').on('connection', (s) => s.on('echo', (e: VerdictEvent) => s.emit('verdict', e)));
  const port = (io.httpServer.address() as { port: number }).port;
  const client: Socket = connect(`http://127.0.0.1:${port}/kiosk`, { transports: ['websocket'] });
  await next(client, 'connect');
  return {
    async sample(text, verdict) {
      const t = performance.now();
      const read = new Promise<void>((r) => (lineDone = r));
      await feeder.write(text + '\r');
      await read;
      const echoed = next(client, 'verdict');
      client.emit('echo', verdict);
      await echoed;
      return performance.now() - t;
    },
    async stop() {
      client.disconnect();
      await new Promise<void>((r) => io.close(() => r()));
      await feeder.close();
      await transport.close();
    },
  };
}

/** A bare Node process holding the same SQLite file open: its RSS is the memory floor. */
async function idleSqliteProcess(file: string): Promise<ChildProcess> {
  const script = `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}, { readonly: true }); db.prepare('SELECT count(*) FROM cache_meta').get(); console.log('open'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await once(child.stdout!, 'data');
  return child;
}

try {
  const key = generateSigningKey('bench-daemon');
  const now = new Date();
  let t = performance.now();
  await writeFeed(join(dir, 'feed.ndjson'), key, now);
  if (spawnSync(process.execPath, [cli, 'import', join(dir, 'feed.ndjson'), '--data', join(dir, 'data')], { stdio: 'inherit' }).status !== 0) throw new Error('import failed');
  rmSync(join(dir, 'feed.ndjson'));
  console.log(`cache: ${APPLICATIONS} applications written and imported in ${fmt((performance.now() - t) / 1000, 1)} s (setup)`);
  const iat = Math.floor(now.getTime() / 1000) - 60;
  const codes = Array.from({ length: DISTINCT_CODES }, (_, n) => mintKq1({ typ: 'APP', iat, jti: `b${n}`, rcpt: rcpt(scannedApplication(n)), off: '4301', proc: 'RENEW' }, key));

  const [scannerEnd, feederEnd] = await ptyPair('scanner');
  const feeder = await open(feederEnd, 'r+');
  const printer = new VirtualPrinter({ port: 0 });
  const { port } = await printer.start();
  const daemon = spawn(process.execPath, [...DEPLOYED_NODE_ARGS, ...(process.env['BENCH_DAEMON_NODE_ARGS']?.split(' ') ?? []), cli, 'daemon'], {
    env: { ...process.env, KIOSK_DATA_DIR: join(dir, 'data'), KIOSK_PORT: '0', KIOSK_UPSTREAM: 'none', KIOSK_LOG_LEVEL: 'warn', KIOSK_SCANNERS: `serial:${scannerEnd}?id=bench`, KIOSK_PRINTER: `tcp://127.0.0.1:${port}`, KIOSK_MAX_WAITING: '100000' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(daemon);
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    daemon.stderr!.on('data', (d: Buffer) => {
      err += d;
      const m = /listening on (\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    daemon.once('exit', () => reject(new Error(err)));
  });
  const socket = connect(`${url}/kiosk`, { transports: ['websocket'] });
  await next(socket, 'connect');
  while (!((await (await fetch(`${url}/api/state`)).json()) as { devices: { state: string }[] }).devices.some((d) => d.state === 'connected')) await wait(20);
  const floor = await scanFloor();
  const idle = await idleSqliteProcess(join(dir, 'data', 'kiosk.sqlite'));

  let resolveNext: ((e: VerdictEvent) => void) | undefined;
  socket.on('verdict', (e: VerdictEvent) => resolveNext?.(e));
  const scan = async (text: string) => {
    const got = new Promise<VerdictEvent>((r) => (resolveNext = r));
    const started = performance.now();
    await feeder.write(text + '\r');
    const e = await got;
    return { e, ms: performance.now() - started };
  };
  const latencies: number[] = [];
  const floorLatencies: number[] = [];
  const all: number[] = [];
  const rss: { after: number; mb: number; floorMb: number }[] = [{ after: 0, mb: rssMb(daemon.pid!), floorMb: rssMb(idle.pid!) }];
  const outcomes = new Map<string, number>();
  t = performance.now();
  for (let i = 0; i < SCANS; i++) {
    const { e, ms } = await scan(codes[i % DISTINCT_CODES]!);
    all.push(ms);
    if (i >= WARM_UP && i < WARM_UP + MEASURED) {
      latencies.push(ms);
      floorLatencies.push(await floor.sample(codes[i % DISTINCT_CODES]!, e));
    }
    const key = e.duplicate ? 'duplicate' : e.repeat ? 'repeat (same ticket)' : e.ticket ? 'new ticket' : `${e.verdict.outcome} ${e.verdict.reason}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    if ((i + 1) % 1000 === 0) rss.push({ after: i + 1, mb: rssMb(daemon.pid!), floorMb: rssMb(idle.pid!) });
  }
  const seconds = (performance.now() - t) / 1000;
  const s = summarize(latencies);
  const f = summarize(floorLatencies);
  const everything = summarize(all);
  console.log(`scan → verdict (pty → daemon → Socket.IO), ${MEASURED} scans after ${WARM_UP} of warm-up, each followed by its floor (pty → this process, Socket.IO echo)`);
  console.log(`  floor   p50 ${fmt(f.p50)} ms   p99 ${fmt(f.p99)} ms   max ${fmt(f.max)} ms`);
  console.log(`  result  p50 ${fmt(s.p50)} ms   p99 ${fmt(s.p99)} ms   max ${fmt(s.max)} ms   p99 ratio ${fmt(s.p99 / f.p99, 2)} × floor (target p99 ≤ 5 ms and ≤ 3 × floor)`);
  console.log(`  all ${SCANS} scans in ${fmt(seconds, 1)} s: p50 ${fmt(everything.p50)} ms   p99 ${fmt(everything.p99)} ms   max ${fmt(everything.max)} ms`);
  console.log(`  outcomes: ${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`  tickets printed by the virtual printer meanwhile: ${printer.decode().length}`);
  const after = rss.filter((r) => r.after >= 2000); // the first 2,000 scans fill the ticket queue and warm V8 up
  const peak = Math.max(...rss.map((r) => r.mb));
  console.log(`daemon RSS (${APPLICATIONS} applications): ${rss.map((r) => `${fmt(r.mb, 0)}`).join(' → ')} MB every 1,000 scans`);
  console.log(`  floor (bare Node holding the same SQLite file open) ${fmt(rss[rss.length - 1]!.floorMb, 0)} MB   peak ${fmt(peak, 0)} MB = floor + ${fmt(peak - rss[rss.length - 1]!.floorMb, 0)} MB   growth from 2,000 to ${SCANS} scans ${fmt(after[after.length - 1]!.mb - after[0]!.mb, 1)} MB (target < 150 MB and flat)`);
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const metric = (name: string) => Number(new RegExp(`^kiosk_process_${name} (\\S+)$`, 'm').exec(metrics)?.[1]) / 2 ** 20;
  const mean = (name: string) => (1000 * Number(new RegExp(`^kiosk_${name}_sum (\\S+)$`, 'm').exec(metrics)?.[1])) / Number(new RegExp(`^kiosk_${name}_count (\\S+)$`, 'm').exec(metrics)?.[1]);
  console.log(`  of which V8 heap ${fmt(metric('nodejs_heap_size_used_bytes'), 0)} MB used of ${fmt(metric('nodejs_heap_size_total_bytes'), 0)} MB, external ${fmt(metric('nodejs_external_memory_bytes'), 0)} MB`);
  console.log(`scan inside the daemon, mean of all ${SCANS} scans: verify ${fmt(mean('verify_seconds'))} ms, scan taken → verdict emitted ${fmt(mean('scan_seconds'))} ms (the fsync of its commit included)`);
  socket.disconnect();
  await floor.stop();
  await feeder.close();
  daemon.kill('SIGTERM');
  await once(daemon, 'exit');
  await printer.stop();
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
