// Durable print queue on a real SQLite file and the virtual printer over loopback TCP.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../daemon/store/db.js';
import { PrintQueue, printingMigrations, type ConfirmPolicy, type JobState, type PrintNotice } from '../daemon/printing/print-queue.js';
import { renderTicket } from '../drivers/printer/ticket-layout.js';
import { createPrinter, type PrinterOptions } from '../drivers/printer/ticket-printer.js';
import type { PrinterStatus, PrinterType } from '../drivers/printer/types.js';
import type { VirtualPrinter } from '../drivers/printer/virtual-printer.js';
import { cutNumbers, marks, sampleTicket, startVirtualPrinter } from './helpers/printer.js';
import { makeTempDir, waitFor } from './helpers/socat.js';

let tmp: ReturnType<typeof makeTempDir>;
let vp: VirtualPrinter;
let spec: string;
let db: Db;
let queue: PrintQueue | undefined;
let events: { jobId: string; state: JobState; detail: string }[];
let statuses: PrinterStatus[];
let notices: PrintNotice[];

const fast = { retry: { minMs: 30, maxMs: 100 }, statusIntervalMs: 0 };

function newQueue(o: { type?: PrinterType; confirm?: ConfirmPolicy; printer?: PrinterOptions } = {}): PrintQueue {
  const printer = createPrinter(spec, o.type ?? 'epson', { statusTimeoutMs: 300, printTimeoutMs: 1500, ...o.printer });
  const q = new PrintQueue(db, printer, { ...fast, confirm: o.confirm ?? 'auto', learnedConfirmWaitMs: 200 });
  q.on('job', (e) => events.push(e));
  q.on('printer', (s) => statuses.push(s));
  q.on('notice', (n) => notices.push(n));
  return q;
}

beforeEach(async () => {
  tmp = makeTempDir('kiosk-queue-');
  ({ printer: vp, spec } = await startVirtualPrinter());
  db = openDatabase(join(tmp.dir, 'kiosk.db'), [printingMigrations]);
  events = [];
  statuses = [];
  notices = [];
});

afterEach(async () => {
  await queue?.stop();
  queue = undefined;
  db.close();
  await vp.stop();
  tmp.remove();
});

const numbers = () => cutNumbers(vp);
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms)); // several retry periods: nothing more comes out

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

it('a printer that comes late prints the waiting ticket once', async () => {
  const port = Number(new URL(spec).port);
  await vp.stop(); // not there yet
  queue = newQueue();
  queue.start();
  queue.enqueue('late', sampleTicket({ number: 'A-007' }));
  await waitFor(() => events.some((e) => e.state === 'failed-retrying'), 3000, 'a failed attempt');
  ({ printer: vp } = await startVirtualPrinter('epson', port));
  await waitFor(() => queue!.jobState('late') === 'printed', 5000, 'printed');
  await settle();
  expect(numbers()).toEqual(['A-007']);
  expect(marks(vp.decode()[0]!)).toBe(0);
});

describe('a printer that prints but never answers the confirmation (GS r)', () => {
  it('auto: one ticket, no mark; the printer is learned not to confirm, the next ticket prints once too', async () => {
    vp.setConfirmation('ignore');
    queue = newQueue();
    queue.start();
    queue.enqueue('one', sampleTicket({ number: 'A-001' }));
    await waitFor(() => queue!.jobState('one') === 'printed', 5000, 'printed');
    expect(queue.confirmation()).toBe('status');
    expect(notices.map((n) => n.kind)).toEqual(['cannot-confirm']);
    queue.enqueue('two', sampleTicket({ number: 'A-002' }));
    await waitFor(() => queue!.jobState('two') === 'printed', 5000, 'second printed');
    await settle(1500);
    expect(numbers()).toEqual(['A-001', 'A-002']);
    expect(vp.decode().map(marks)).toEqual([0, 0]);
    expect(events.filter((e) => e.state === 'unconfirmed')).toEqual([]);
  });

  it('always: printed once more marked 再発行 (once), staff told, then set aside — never a third copy', async () => {
    vp.setConfirmation('ignore');
    queue = newQueue({ confirm: 'always' });
    queue.start();
    queue.enqueue('one', sampleTicket({ number: 'A-001' }));
    await waitFor(() => queue!.jobState('one') === 'failed', 8000, 'set aside');
    await settle(500);
    expect(numbers()).toEqual(['A-001', 'A-001']);
    expect(vp.decode().map(marks)).toEqual([0, 1]);
    expect(notices.map((n) => n.kind)).toEqual(['resend', 'failed']);
    expect(queue.failedJobs()).toEqual([{ jobId: 'one', number: 'A-001', reason: expect.stringMatching(/not confirmed after one resend/), at: expect.any(String) }]);
    expect(queue.pending()).toBe(0);
  });

  it('never: does not even wait; sent and ready afterwards is printed', async () => {
    vp.setConfirmation('ignore');
    queue = newQueue({ confirm: 'never' });
    queue.start();
    queue.enqueue('one', sampleTicket({ number: 'A-001' }));
    await waitFor(() => queue!.jobState('one') === 'printed', 3000, 'printed');
    await settle();
    expect(numbers()).toEqual(['A-001']);
    expect(vp.received().includes(Buffer.from([0x1d, 0x72, 0x01]))).toBe(false); // no GS r asked
  });
});

it('a printer that prints and hangs up instead of confirming: one ticket', async () => {
  vp.setConfirmation('hang-up');
  queue = newQueue();
  queue.start();
  queue.enqueue('one', sampleTicket({ number: 'A-001' }));
  await waitFor(() => queue!.jobState('one') === 'printed', 5000, 'printed');
  await settle(500);
  expect(numbers()).toEqual(['A-001']);
});

describe.each(['epson', 'star'] as const)('a ticket cut short (%s)', (type) => {
  beforeEach(async () => {
    await vp.stop();
    ({ printer: vp, spec } = await startVirtualPrinter(type));
  });

  it('paper runs out mid-ticket: not printed, paper end shown at once, then printed once more marked 再発行', async () => {
    vp.setLineDelay(20); // the printer answers status while it is still printing
    vp.setPaperRemaining(5);
    queue = newQueue({ type });
    queue.start();
    queue.enqueue('one', sampleTicket({ number: 'A-001' }));
    await waitFor(() => events.some((e) => e.state === 'unconfirmed'), 5000, 'the unconfirmed send');
    expect(queue.jobState('one')).toBe('queued');
    expect(statuses.at(-1)).toMatchObject({ paperEnd: true });
    expect(notices.map((n) => [n.kind, n.number])).toEqual([['resend', 'A-001']]);
    await waitFor(() => vp.held() === 0, 3000, 'the held rest dropped');
    vp.setPaperOut(false); // paper loaded
    await waitFor(() => queue!.jobState('one') === 'printed', 5000, 'printed');
    await settle();
    const printed = vp.decode();
    expect(printed.map((t) => t.cuts)).toEqual([0, 1]); // the stub, then the whole ticket
    expect(printed.map(marks)).toEqual([0, 1]);
    expect(printed[1]!.lines[0]).toBe('再発行 / REPRINT');
    expect(statuses.at(-1)).toMatchObject({ paperEnd: false, online: true });
  });

  it('the connection is lost mid-ticket: printed once more, marked 再発行 once', async () => {
    vp.setDropAfterBytes(Math.floor(renderTicket(sampleTicket(), type).length / 2), 1);
    queue = newQueue({ type });
    queue.start();
    queue.enqueue('one', sampleTicket({ number: 'A-001' }));
    await waitFor(() => events.some((e) => e.state === 'unconfirmed'), 5000, 'the unconfirmed send');
    await waitFor(() => queue!.jobState('one') === 'printed', 5000, 'printed');
    await settle();
    expect(vp.decode().map((t) => [t.cuts, marks(t)])).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });
});

it('a ticket that can never print is set aside with its reason; the next one prints', async () => {
  queue = newQueue();
  queue.enqueue('broken', sampleTicket({ number: 'A-001', ticketId: 'チケット' })); // not printable ASCII: cannot render
  queue.enqueue('fine', sampleTicket({ number: 'A-002' }));
  queue.start();
  await waitFor(() => queue!.jobState('fine') === 'printed', 3000, 'the next ticket printed');
  expect(queue.jobState('broken')).toBe('failed');
  expect(queue.failedJobs()).toEqual([{ jobId: 'broken', number: 'A-001', reason: expect.stringMatching(/^cannot be printed: ticket id must be printable ASCII/), at: expect.any(String) }]);
  expect(notices.map((n) => [n.kind, n.number])).toEqual([['failed', 'A-001']]);
  await settle();
  expect(numbers()).toEqual(['A-002']);
  expect(events.filter((e) => e.jobId === 'broken').map((e) => e.state)).toEqual(['queued', 'failed']);
});

it('a reprint that already carries its mark and was caught mid-send is marked once, not twice', async () => {
  queue = newQueue();
  queue.enqueue('T1:kiosk-reprint:x', sampleTicket({ number: 'A-009', lines: ['再発行 / REPRINT'] }));
  await Promise.resolve();
  // What a kill -9 mid-send leaves behind (the daemon-process test does it for real).
  db.prepare("UPDATE print_jobs SET state = 'sending', sends = 1").run();
  queue.start();
  await waitFor(() => queue!.jobState('T1:kiosk-reprint:x') === 'printed', 3000, 'printed');
  expect(vp.decode().map(marks)).toEqual([1]);
});
