// The daemon as deployed: `kiosk daemon` in its own process with a serial scanner on a socat pty
// and the virtual printer. Measures tty write → `verdict` event on a Socket.IO client, and the
// daemon's RSS over 10,000 scans (read from /proc, so the bench's own memory is not counted).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { io as connect } from 'socket.io-client';
import type { VerdictEvent } from '../protocol/events.js';
import { VirtualPrinter } from '../drivers/index.js';
import { generateSigningKey, mintKq1 } from '../sync/issuing/kq1-issuer.js';
import { fmt, summarize } from './measure.js';

const SCANS = 10_000;
const DISTINCT_CODES = 5_000; // each code comes round again after ~5 s: a repeat, not a double read
const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-daemon-'));
const children: ChildProcess[] = [];

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

try {
  // Data: DISTINCT_CODES ready applications at office 4301, signed by a fresh key.
  const key = generateSigningKey('bench-daemon');
  const rcpt = (i: number) => `2026112743010${String(i).padStart(4, '0')}`;
  const now = new Date();
  const feed = [
    { seq: 1, entity: 'meta', id: 'feed', op: 'upsert', data: { asOf: now.toISOString() } },
    { seq: 2, entity: 'office', id: '4301', op: 'upsert', data: { name: { ja: '熊本事務所', en: 'Kumamoto Office' } } },
    { seq: 3, entity: 'key', id: key.kid, op: 'upsert', data: { alg: 'Ed25519', publicKey: key.publicKeyBase64, notBefore: '2026-01-01T00:00:00Z', notAfter: null, revokedAt: null } },
    ...Array.from({ length: DISTINCT_CODES }, (_, i) => ({
      seq: 4 + i, entity: 'application', id: rcpt(i), op: 'upsert',
      data: { office: '4301', procedureType: 'RENEW', channel: 'screen', status: 'ready', feesPaid: true, deliverables: ['certificate'], vehicle: {}, reviewCompletedAt: null },
    })),
  ];
  writeFileSync(join(dir, 'feed.ndjson'), feed.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const cli = join(root, 'bin/kiosk.js');
  if (spawnSync(process.execPath, [cli, 'import', join(dir, 'feed.ndjson'), '--data', join(dir, 'data')]).status !== 0) throw new Error('import failed');
  const iat = Math.floor(now.getTime() / 1000) - 60;
  const codes = Array.from({ length: DISTINCT_CODES }, (_, i) => mintKq1({ typ: 'APP', iat, jti: `b${i}`, rcpt: rcpt(i), off: '4301', proc: 'RENEW' }, key));

  // Devices: a pty pair and the virtual printer.
  const [ttyA, ttyB] = [join(dir, 'scanner'), join(dir, 'feeder')];
  const socat = spawn('socat', [`pty,raw,echo=0,link=${ttyA}`, `pty,raw,echo=0,link=${ttyB}`], { stdio: 'ignore' });
  children.push(socat);
  while (!existsSync(ttyA) || !existsSync(ttyB)) await wait(10);
  const feeder = await open(ttyB, 'r+');
  const printer = new VirtualPrinter({ port: 0 });
  const { port } = await printer.start();

  const daemon = spawn(process.execPath, [cli, 'daemon'], {
    env: { ...process.env, KIOSK_DATA_DIR: join(dir, 'data'), KIOSK_PORT: '0', KIOSK_UPSTREAM: 'none', KIOSK_LOG_LEVEL: 'warn', KIOSK_SCANNERS: `serial:${ttyA}?id=bench`, KIOSK_PRINTER: `tcp://127.0.0.1:${port}`, KIOSK_MAX_WAITING: '100000' },
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
  await new Promise<void>((r) => socket.once('connect', () => r()));
  while (!((await (await fetch(`${url}/api/state`)).json()) as { devices: { state: string }[] }).devices.some((d) => d.state === 'connected')) await wait(20);

  let resolveNext: ((e: VerdictEvent) => void) | undefined;
  socket.on('verdict', (e: VerdictEvent) => resolveNext?.(e));
  const latencies: number[] = [];
  const rss: { after: number; mb: number }[] = [{ after: 0, mb: rssMb(daemon.pid!) }];
  const outcomes = new Map<string, number>();
  const started = performance.now();
  for (let i = 0; i < SCANS; i++) {
    const got = new Promise<VerdictEvent>((r) => (resolveNext = r));
    const t = performance.now();
    await feeder.write(codes[i % DISTINCT_CODES] + '\r');
    const e = await got;
    latencies.push(performance.now() - t);
    const key = e.duplicate ? 'duplicate' : e.repeat ? 'repeat (same ticket)' : e.ticket ? 'new ticket' : `${e.verdict.outcome} ${e.verdict.reason}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    if ((i + 1) % 2500 === 0) rss.push({ after: i + 1, mb: rssMb(daemon.pid!) });
  }
  const seconds = (performance.now() - started) / 1000;
  const s = summarize(latencies);
  console.log(`scan → verdict (pty → daemon → Socket.IO), ${SCANS} sequential scans in ${fmt(seconds, 1)} s`);
  console.log(`  p50 ${fmt(s.p50)} ms   p99 ${fmt(s.p99)} ms   max ${fmt(s.max)} ms`);
  console.log(`  outcomes: ${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`  tickets printed by the virtual printer meanwhile: ${printer.decode().length}`);
  console.log(`daemon RSS: ${rss.map((r) => `${fmt(r.mb, 0)} MB after ${r.after}`).join(', ')}`);
  socket.disconnect();
  await feeder.close();
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon.once('exit', r));
  await printer.stop();
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
