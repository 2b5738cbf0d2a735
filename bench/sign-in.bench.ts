// Staff sign-in under attack from the LAN: `kiosk daemon` in its own process; the counter signs in
// from 127.0.0.1 while 300 wrong sign-ins arrive at once, first from one machine (127.0.0.2), then
// from 300 machines (127.0.1.x — all of 127.0.0.0/8 reaches the daemon on Linux). Prints the
// counter's sign-in time, how the flood was answered and the audit rows it wrote.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { fmt, summarize } from './measure.js';

const FLOOD = 300;
const PIN = '246813';
const root = new URL('../..', import.meta.url).pathname;
const cli = join(root, 'bin/kiosk.js');
const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-sign-in-'));
let daemon: ChildProcess | undefined;

function signIn(url: string, from: string, staffId: string, pin: string): Promise<number> {
  const u = new URL(url);
  const body = JSON.stringify({ staffId, pin });
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: '/api/staff/session', method: 'POST', localAddress: from, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const auditRows = () => {
  const db = new Database(join(dir, 'kiosk.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** The counter's sign-in times (ms) while `flood` runs, and how the flood was answered. */
async function underFlood(url: string, flood: () => Promise<number>[]): Promise<{ counterMs: number[]; counterStatuses: number[]; answers: Record<number, number>; rows: number }> {
  const before = auditRows();
  const pending = flood();
  const counterMs: number[] = [];
  const counterStatuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    counterStatuses.push(await signIn(url, '127.0.0.1', 's1', PIN));
    counterMs.push(performance.now() - t0);
  }
  const answers: Record<number, number> = {};
  for (const s of await Promise.all(pending)) answers[s] = (answers[s] ?? 0) + 1;
  return { counterMs, counterStatuses, answers, rows: auditRows() - before - counterStatuses.filter((s) => s === 200).length };
}

try {
  const add = spawnSync(process.execPath, [cli, 'staff', 'add', 's1', '--name', 'Bench', '--data', dir], { input: `${PIN}\n`, encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`staff add failed: ${add.stderr}`);
  daemon = spawn(process.execPath, [cli, 'daemon'], {
    env: { ...process.env, KIOSK_DATA_DIR: dir, KIOSK_PORT: '0', KIOSK_UPSTREAM: 'none', KIOSK_PRINTER: 'none', KIOSK_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    daemon!.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    daemon!.once('exit', (code) => reject(new Error(`daemon exited ${code}: ${err}`)));
  });

  const quiet: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    if ((await signIn(url, '127.0.0.1', 's1', PIN)) !== 200) throw new Error('sign-in failed');
    quiet.push(performance.now() - t0);
  }
  const q = summarize(quiet);
  console.log(`counter sign-in, quiet: p50 ${fmt(q.p50, 0)} ms, max ${fmt(q.max, 0)} ms`);

  const report = (what: string, r: Awaited<ReturnType<typeof underFlood>>) => {
    const s = summarize(r.counterMs);
    console.log(`${what}: counter sign-ins ${r.counterStatuses.join(',')} in p50 ${fmt(s.p50, 0)} ms, max ${fmt(s.max, 0)} ms; flood answered ${JSON.stringify(r.answers)}; refusal audit rows ${r.rows}`);
  };
  report(`${FLOOD} wrong PINs for s1 from one machine`, await underFlood(url, () => Array.from({ length: FLOOD }, () => signIn(url, '127.0.0.2', 's1', '000000'))));
  report(`${FLOOD} wrong PINs from ${FLOOD} machines`, await underFlood(url, () => Array.from({ length: FLOOD }, (_, i) => signIn(url, `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`, `guess${i}`, '000000'))));
} finally {
  daemon?.kill('SIGTERM');
  if (daemon) await new Promise((r) => daemon!.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
