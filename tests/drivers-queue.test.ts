// Durable print queue on a real SQLite file and the virtual printer over loopback TCP.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../daemon/store/db.js';
import { PrintQueue, printingMigrations, type JobState } from '../daemon/printing/print-queue.js';
import { createPrinter } from '../drivers/printer/ticket-printer.js';
import type { PrinterStatus } from '../drivers/printer/types.js';
import type { VirtualPrinter } from '../drivers/printer/virtual-printer.js';
import { sampleTicket, startVirtualPrinter } from './helpers/printer.js';
import { makeTempDir, waitFor } from './helpers/socat.js';

let tmp: ReturnType<typeof makeTempDir>;
let vp: VirtualPrinter;
let spec: string;
let db: Db;
let queue: PrintQueue | undefined;
let events: { jobId: string; state: JobState }[];
let statuses: PrinterStatus[];

const fast = { retry: { minMs: 30, maxMs: 100 }, statusIntervalMs: 0 };

function newQueue(): PrintQueue {
  const q = new PrintQueue(db, createPrinter(spec, 'epson', { statusTimeoutMs: 300 }), fast);
  q.on('job', (e) => events.push(e));
  q.on('printer', (s) => statuses.push(s));
  return q;
}

beforeEach(async () => {
  tmp = makeTempDir('kiosk-queue-');
  ({ printer: vp, spec } = await startVirtualPrinter());
  db = openDatabase(join(tmp.dir, 'kiosk.db'), [printingMigrations]);
  events = [];
  statuses = [];
});

afterEach(async () => {
  await queue?.stop();
  queue = undefined;
  db.close();
  await vp.stop();
  tmp.remove();
});

const numbers = () => vp.decode().filter((t) => t.cuts === 1).map((t) => t.large[0]);

it('keeps the job while paper is out and prints it exactly once when paper is back', async () => {
  vp.setPaperOut(true);
  queue = newQueue();
  queue.start();
  queue.enqueue('job-1', sampleTicket({ number: 'A-001' }));
  await waitFor(() => events.filter((e) => e.state === 'failed-retrying').length >= 2, 3000, 'retries');
  expect(statuses.some((s) => s.paperEnd)).toBe(true);
  expect(queue.jobState('job-1')).toBe('queued');
  expect(numbers()).toEqual([]);
  vp.setPaperOut(false);
  await waitFor(() => queue!.jobState('job-1') === 'printed', 3000, 'printed');
  await new Promise((r) => setTimeout(r, 300)); // several retry periods: nothing more comes out
  expect(numbers()).toEqual(['A-001']);
  expect(events.filter((e) => e.state === 'printed')).toHaveLength(1);
  expect(queue.pending()).toBe(0);
});

it('is idempotent per job id and prints jobs in order', async () => {
  queue = newQueue();
  expect(queue.enqueue('a', sampleTicket({ number: 'A-001' }))).toBe(true);
  expect(queue.enqueue('b', sampleTicket({ number: 'A-002' }))).toBe(true);
  expect(queue.enqueue('a', sampleTicket({ number: 'A-001' }))).toBe(false);
  queue.start();
  queue.enqueue('c', sampleTicket({ number: 'A-003' }));
  await waitFor(() => queue!.pending() === 0, 3000, 'drained');
  expect(numbers()).toEqual(['A-001', 'A-002', 'A-003']);
});

it('enqueues inside the caller\'s transaction, and a rollback leaves no job', async () => {
  queue = newQueue();
  expect(() =>
    db.transaction(() => {
      queue!.enqueue('rolled-back', sampleTicket());
      throw new Error('the daemon changed its mind');
    })(),
  ).toThrow('changed its mind');
  await Promise.resolve();
  expect(queue.jobState('rolled-back')).toBeNull();
  expect(events).toEqual([]);
});

it('prints a job left pending by a previous daemon after a restart, once', async () => {
  vp.setCoverOpen(true);
  queue = newQueue();
  queue.start();
  queue.enqueue('job-r', sampleTicket({ number: 'A-042' }));
  await waitFor(() => events.some((e) => e.state === 'failed-retrying'), 3000, 'a failed attempt');
  await queue.stop();
  db.close();
  // "Restart": a new database handle and a new queue on the same file.
  vp.setCoverOpen(false);
  db = openDatabase(join(tmp.dir, 'kiosk.db'), [printingMigrations]);
  queue = newQueue();
  expect(queue.pending()).toBe(1);
  queue.start();
  await waitFor(() => queue!.jobState('job-r') === 'printed', 3000, 'printed after restart');
  await new Promise((r) => setTimeout(r, 200));
  expect(numbers()).toEqual(['A-042']);
  expect(vp.decode()[0]!.lines).not.toContain('再発行 / REPRINT'); // it had not been sent before
});
