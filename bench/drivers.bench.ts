// Drivers: tty write → decoded scan event latency on a socat pty pair, how fast an unplug is seen
// and a replug picked up, ticket rendering time, and print → confirmation over loopback TCP
// against the virtual printer (EPSON GS r; STAR ETB counter, with and without ASB).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrinter } from '../drivers/printer/ticket-printer.js';
import { renderTicket } from '../drivers/printer/ticket-layout.js';
import type { TicketContent } from '../drivers/printer/types.js';
import { VirtualPrinter } from '../drivers/printer/virtual-printer.js';
import { SerialScanner } from '../drivers/scanner/serial-scanner.js';
import { fmt, PeakRss, summarize } from './measure.js';

const SCANS = 500;
const RENDERS = 2000;
const UNPLUGS = 20;
const PRINTS = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startSocat(a: string, b: string) {
  return spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`no ${what} within ${ms} ms`);
    await sleep(1);
  }
}

/** socat killed (with a line in progress) → `disconnected`; socat back → `connected`. */
async function unplugTimes(): Promise<{ gone: number[]; back: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const gone: number[] = [];
  const back: number[] = [];
  let socat = startSocat(a, b);
  await until(() => existsSync(a) && existsSync(b), 5000, 'socat links');
  const scanner = new SerialScanner({ path: a, id: 'bench', reconnect: { minMs: 50, maxMs: 200 } });
  await scanner.start();
  try {
    for (let i = 0; i < UNPLUGS; i++) {
      const writer = await open(b, 'r+');
      await writer.write('KQ1MIDLINE'.repeat(20)); // no terminator: a scan in progress
      const exited = new Promise((r) => socat.once('exit', r));
      const t0 = performance.now();
      socat.kill('SIGTERM');
      await until(() => scanner.state() === 'disconnected', 10_000, 'disconnected after unplug');
      gone.push(performance.now() - t0);
      await exited;
      await writer.close().catch(() => undefined);
      await until(() => !existsSync(a), 2000, 'links removed');
      const t1 = performance.now();
      socat = startSocat(a, b);
      await until(() => scanner.state() === 'connected', 10_000, 'connected after replug');
      back.push(performance.now() - t1);
    }
  } finally {
    await scanner.stop();
    socat.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  return { gone, back };
}

async function printTimes(type: 'epson' | 'star', asb: boolean, ticket: TicketContent): Promise<number[]> {
  const vp = new VirtualPrinter({ type });
  const { port } = await vp.start();
  vp.setAsb(asb);
  const printer = createPrinter(`tcp://127.0.0.1:${port}`, type);
  const samples: number[] = [];
  try {
    for (let i = 0; i < PRINTS + 2; i++) {
      const t0 = performance.now();
      const result = await printer.print(ticket);
      if (result.confirmedBy !== 'printer') throw new Error('the virtual printer did not confirm');
      if (i >= 2) samples.push(performance.now() - t0);
    }
  } finally {
    await vp.stop();
  }
  return samples;
}

async function scanLatency(): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  try {
    for (let i = 0; !(existsSync(a) && existsSync(b)); i++) {
      if (i > 500) throw new Error('socat did not start');
      await new Promise((r) => setTimeout(r, 10));
    }
    const writer = await open(b, 'r+');
    const scanner = new SerialScanner({ path: a, id: 'bench' });
    await scanner.start();
    const samples: number[] = [];
    let resolveScan: (() => void) | undefined;
    scanner.on('scan', () => resolveScan?.());
    const code = 'KQ1' + 'A'.repeat(180); // a typical KQ1 length
    for (let i = 0; i < SCANS + 20; i++) {
      const got = new Promise<void>((r) => (resolveScan = r));
      const t0 = process.hrtime.bigint();
      await writer.write(`${code}${i}\r`);
      await got;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (i >= 20) samples.push(ms); // warm-up
    }
    await scanner.stop();
    await writer.close();
    return samples;
  } finally {
    socat.kill('SIGTERM');
    await new Promise((r) => socat.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const sampleTicket: TicketContent = {
  ticketId: 'T-4301-20240501-0023',
  number: 'A-023',
  office: { code: '4301', name: { ja: '熊本事務所', en: 'Kumamoto Office' } },
  issuedAt: new Date(),
  timeZone: 'Asia/Tokyo',
  itemCount: 3,
  receiverNameMasked: 'ヤマダ＊＊',
  waiting: 4,
  estimatedWaitMinutes: 12,
};

function renderTimes(type: 'epson' | 'star'): number[] {
  const samples: number[] = [];
  for (let i = 0; i < RENDERS; i++) {
    const t0 = process.hrtime.bigint();
    renderTicket({ ...sampleTicket, number: `A-${String(i % 1000).padStart(3, '0')}` }, type);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return samples.slice(100);
}

const rss = new PeakRss();
const scan = summarize(await scanLatency());
console.log(`tty write → scan event (pty, ${SCANS} scans): p50 ${fmt(scan.p50)} ms  p99 ${fmt(scan.p99)} ms  max ${fmt(scan.max)} ms  (target p99 < 5 ms)${scan.p99 < 5 ? '' : '  ABOVE TARGET'}`);
for (const type of ['epson', 'star'] as const) {
  const r = summarize(renderTimes(type));
  console.log(`ticket render (${type}, ${RENDERS - 100} tickets): p50 ${fmt(r.p50)} ms  p99 ${fmt(r.p99)} ms  max ${fmt(r.max)} ms`);
}
const unplug = await unplugTimes();
const gone = summarize(unplug.gone);
const back = summarize(unplug.back);
console.log(`unplug → disconnected (${UNPLUGS} unplugs mid-line): p50 ${fmt(gone.p50, 1)} ms  max ${fmt(gone.max, 1)} ms; replug → connected: p50 ${fmt(back.p50, 1)} ms  max ${fmt(back.max, 1)} ms (target < 3000 ms)`);
for (const [type, asb] of [['epson', false], ['star', false], ['star', true]] as const) {
  const p = summarize(await printTimes(type, asb, sampleTicket));
  console.log(`print → confirmed (${type}${type === 'star' ? (asb ? ', ASB on' : ', ASB off: polled') : ''}, virtual printer, ${PRINTS} tickets): p50 ${fmt(p.p50, 1)} ms  p99 ${fmt(p.p99, 1)} ms`);
}
console.log(`peak RSS ${fmt(rss.peakMb(), 1)} MB`);
