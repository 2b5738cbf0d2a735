// One office, many stations (docs/office.md), each its own `kiosk daemon` process on loopback with
// one hub: 2 kiosks, 3 counters and a call display share one queue through the office log.
import { describe, expect, it } from 'vitest';
import type { CalledTicket, TicketView, VerdictEvent } from '../protocol/events.js';
import { until } from './support/daemon-harness.js';
import { rec, receipt, useHubEngine } from './support/hub-harness.js';
import { summarize } from '../bench/measure.js';
import { act, officeHub, inParallel, scanner, startStation, untilOffice, untilSameQueue, type Station, useStops } from './support/office.js';
import { OFFICE, officeRecords } from './support/sync-office.js';

const APPS = 250;
/** Of the 250 applications, these are scanned at both kiosks at the same moment: 300 scans in all. */
const TWICE = 50;

describe('an office of 2 kiosks, 3 counters and a display', () => {
  const h = useHubEngine('sqlite');
  const onStop = useStops();

  it('300 scans over both kiosks make one queue: unique numbers, one ticket per application, the same at every counter; calls reach the display', async () => {
    const { store, hub } = await officeHub(h, officeRecords(APPS));
    const start = async (id: string, mode: 'kiosk' | 'counter', queue: string) => {
      const s = await startStation(store, hub, id, mode, queue, APPS);
      onStop(() => s.stop());
      return s;
    };
    const k1 = await start('kiosk-1', 'kiosk', 'found');
    const others = await Promise.all([
      start('kiosk-2', 'kiosk', k1.daemon.url),
      start('counter-1', 'counter', k1.daemon.url),
      start('counter-2', 'counter', k1.daemon.url),
      start('counter-3', 'counter', k1.daemon.url),
      start('display-1', 'counter', k1.daemon.url),
    ]);
    const stations: Station[] = [k1, ...others];
    const [k2, c1, c2, c3, display] = others as [Station, Station, Station, Station, Station];
    await untilOffice(stations);

    const codes = await Promise.all(Array.from({ length: APPS }, (_, i) => store.mint({ typ: 'APP', receipt: receipt(OFFICE, i), office: OFFICE, proc: 'RENEW' })));
    const [a, b] = [await scanner(k1), await scanner(k2)];
    // Applications 0..49 at both kiosks at once; the rest alternate between the kiosks.
    const jobs: (() => Promise<[number, VerdictEvent]>)[] = [];
    codes.forEach((code, i) => {
      if (i < TWICE) {
        jobs.push(async () => [i, await a.scan(code)], async () => [i, await b.scan(code)]);
      } else {
        const kiosk = i % 2 === 0 ? a : b;
        jobs.push(async () => [i, await kiosk.scan(code)]);
      }
    });
    const results = await inParallel(jobs, 8);
    expect(results).toHaveLength(APPS + TWICE);

    const byApp = new Map<number, Set<string>>();
    for (const [i, e] of results) {
      expect(e.verdict.outcome, `scan of application ${i}`).toBe('accepted');
      expect(e.ticket, `ticket for application ${i}: ${JSON.stringify(e.noTicket)}`).not.toBeNull();
      byApp.set(i, (byApp.get(i) ?? new Set()).add(e.ticket!.number));
    }
    // One ticket per application, also for those scanned at both kiosks at the same moment.
    for (const [i, numbers] of byApp) expect([...numbers], `application ${i}`).toHaveLength(1);
    const numbers = [...byApp.values()].map((s) => [...s][0]!);
    expect(new Set(numbers).size).toBe(APPS);
    expect(results.filter(([, e]) => e.repeat).length).toBe(TWICE);

    // Every station holds the same queue: 250 waiting tickets with 250 numbers.
    const queue = await untilSameQueue(stations, (q) => q.length === APPS);
    expect(new Set(queue.map((t) => t.number)).size).toBe(APPS);
    expect(queue.map((t) => t.number).sort()).toEqual([...numbers].sort());

    // Calls at the three counters reach the display, each once.
    const screen = await scanner(display);
    const shown = new Map<string, number>();
    screen.socket.on('called', (c: CalledTicket) => shown.set(c.number, performance.now()));
    const counters = await Promise.all([c1, c2, c3].map((c) => c.staff()));
    const delays: number[] = [];
    for (let round = 0; round < 20; round++) {
      await Promise.all(
        counters.map(async (socket, n) => {
          const sent = performance.now();
          const r = await act<{ ticket: TicketView | null }>(socket, 'call-next', { counter: String(n + 1) });
          expect(r.ticket, JSON.stringify(r)).not.toBeNull();
          const number = r.ticket!.number;
          await until(() => shown.has(number), `${number} on the display`, 10_000);
          delays.push(shown.get(number)! - sent);
        }),
      );
    }
    expect(delays).toHaveLength(60);
    expect(shown.size).toBe(60);
    const { p50, p99, max } = summarize(delays);
    console.log(`office: call → display over ${delays.length} calls: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`);

    // A handover at counter 2 shows at counter 3 (and everywhere) at once.
    const called = await act<{ ticket: TicketView | null }>(counters[1]!, 'call-next', { counter: '2' });
    const item = called.ticket!.items[0]!.receiptNumber;
    expect(await act<{ ok: boolean }>(counters[1]!, 'handover', { receiptNumber: item, ticketId: called.ticket!.id })).toEqual({ ok: true });
    await until(async () => !(await c3.status()).queue.some((t) => t.id === called.ticket!.id), 'the handed-over ticket to leave the queue at counter 3', 10_000);
    const after = await untilSameQueue(stations, (q) => !q.some((t) => t.id === called.ticket!.id));
    expect(after.filter((t) => t.status === 'called')).toHaveLength(60);

    // An application withdrawn at the hub: its waiting ticket leaves the queue at every station by itself.
    const waiting = after.find((t) => t.status === 'waiting')!;
    const app = results.find(([, e]) => e.ticket?.id === waiting.id)![0];
    await store.publish([rec.app(receipt(OFFICE, app), OFFICE, { status: 'withdrawn' })]);
    await untilSameQueue(stations, (q) => !q.some((t) => t.id === waiting.id));
    for (const s of counters) s.disconnect();
    a.socket.disconnect();
    b.socket.disconnect();
    screen.socket.disconnect();
  }, 300_000);
});
