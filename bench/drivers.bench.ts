// Drivers: tty write → decoded scan event latency on a socat pty pair, and ticket rendering time.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTicket } from '../drivers/printer/ticket-layout.js';
import type { TicketContent } from '../drivers/printer/types.js';
import { SerialScanner } from '../drivers/scanner/serial-scanner.js';
import { fmt, PeakRss, summarize } from './measure.js';

const SCANS = 500;
const RENDERS = 2000;

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

function renderTimes(type: 'epson' | 'star'): number[] {
  const ticket: TicketContent = {
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
  const samples: number[] = [];
  for (let i = 0; i < RENDERS; i++) {
    const t0 = process.hrtime.bigint();
    renderTicket({ ...ticket, number: `A-${String(i % 1000).padStart(3, '0')}` }, type);
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
console.log(`peak RSS ${fmt(rss.peakMb(), 1)} MB`);
