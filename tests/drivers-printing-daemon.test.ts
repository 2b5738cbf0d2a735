// Printing as the daemon shows it (in process): the printer state the screens get after the
// printer recovers, and what staff are told about tickets.
import { afterEach, expect, it } from 'vitest';
import type { KioskState } from '../protocol/events.js';
import type { VirtualPrinter } from '../drivers/printer/virtual-printer.js';
import { cutNumbers, startSilentServer, startVirtualPrinter } from './helpers/printer.js';
import { request, startTestDaemon, until, type TestDaemon } from './support/daemon-harness.js';

let t: TestDaemon | undefined;
let vp: VirtualPrinter | undefined;
afterEach(async () => {
  await t?.stop();
  await vp?.stop();
  t = undefined;
  vp = undefined;
});

it('a printer that did not answer and then recovers shows online with no stale detail; it printed the ticket once', async () => {
  const silent = await startSilentServer(); // accepts, never answers: "no answer to status query"
  const port = Number(new URL(silent.spec).port);
  t = await startTestDaemon({ KIOSK_PRINTER: silent.spec });
  const kiosk = await t.kiosk();
  const states: KioskState[] = [];
  kiosk.on('state', (s: KioskState) => states.push(s));
  const e = await request<{ ticket: { number: string } | null }>(kiosk, 'scan', { text: t.codes.app(0), source: 'typed' });
  expect(e.ticket?.number).toBe('A-001');
  await until(() => t!.daemon.board.printer.detail === 'no answer to status query', 'the printer reported silent', 8000);
  expect(t.daemon.board.printer.online).toBe(false);

  await silent.close();
  ({ printer: vp } = await startVirtualPrinter('epson', port)); // the printer is back, same address
  await until(() => cutNumbers(vp!).length === 1, 'the ticket printed', 15_000);
  await until(() => t!.daemon.board.printer.online, 'printer online', 5000);
  const printer = t.daemon.board.kioskState().printer;
  expect(printer).toMatchObject({ configured: true, online: true, paperEnd: false, coverOpen: false, pendingJobs: 0, confirmation: 'printer', failedJobs: [] });
  expect(printer.detail).toBeUndefined();
  await until(() => states.at(-1)?.printer.online, 'the screen told', 3000);
  expect(states.at(-1)!.printer.detail).toBeUndefined();
  await new Promise((r) => setTimeout(r, 500));
  expect(cutNumbers(vp)).toEqual(['A-001']);
}, 40_000);

it('a ticket cut short by paper end is printed again marked 再発行, and the screens carry the notice', async () => {
  const started = await startVirtualPrinter('epson');
  vp = started.printer;
  t = await startTestDaemon({ KIOSK_PRINTER: started.spec });
  vp.setPaperRemaining(4);
  const kiosk = await t.kiosk();
  await request(kiosk, 'scan', { text: t.codes.app(1), source: 'typed' });
  await until(() => t!.daemon.board.printer.paperEnd, 'paper end shown', 3000); // at once, not after the print timeout
  const notices = t.daemon.board.kioskState().printer.notices ?? [];
  expect(notices.map((n) => [n.kind, n.number])).toEqual([['resend', 'A-001']]);
  await until(() => vp!.held() === 0, 'the held rest of the ticket dropped', 3000);
  vp.setPaperOut(false); // paper loaded
  await until(() => cutNumbers(vp!).length === 1, 'the ticket printed', 15_000);
  const [stub, whole] = vp.decode();
  expect([stub!.cuts, whole!.cuts, whole!.lines[0]]).toEqual([0, 1, '再発行 / REPRINT']);
  expect(whole!.lines.filter((l) => l === '再発行 / REPRINT')).toHaveLength(1);
}, 40_000);
