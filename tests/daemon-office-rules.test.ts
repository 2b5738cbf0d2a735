// The rules the terms imply (docs/decision-table.md), through a real daemon with a
// pinned clock: office hours, daily numbering, the waiting cap, and the misuse alert.
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskState, VerdictEvent } from '../protocol/events.js';
import { request, startTestDaemon, until, type TestDaemon } from './support/daemon-harness.js';

let t: TestDaemon | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const clock = (start: Date) => {
  let now = start;
  return { now: () => now, set: (next: Date) => (now = next) };
};

const JST = 9 * 3600_000;
const DAY = 86_400_000;
/** The first moment after the real clock that is `weekday` (0 = Sun) hh:mm in Japan, so codes minted now are not "from the future". */
function nextJst(weekday: number, hh: number, mm: number, from = Date.now()): Date {
  let t = Math.ceil((from + JST) / DAY) * DAY - JST + (hh * 60 + mm) * 60_000;
  while (new Date(t + JST).getUTCDay() !== weekday) t += DAY;
  return new Date(t);
}

describe('office rules', () => {
  it('outside opening hours it still verifies but issues no ticket, and says when the counter opens', async () => {
    const saturdayNoon = nextJst(6, 12, 0);
    const mondayMorning = new Date(saturdayNoon.getTime() + 2 * DAY - (12 * 60 - 9 * 60 - 30) * 60_000); // 09:30 JST
    const c = clock(saturdayNoon);
    t = await startTestDaemon({ KIOSK_HOURS: 'Mon-Fri 08:45-12:00,13:00-16:00' }, { now: c.now });
    const kiosk = await t.kiosk();
    // Keep the pinned clock within the data's allowed age.
    const dataAsOf = (at: Date) => {
      t!.daemon.ctx.cache.applier.finishBatch(0, new Date(at.getTime() - 3600_000).toISOString());
      t!.daemon.ctx.cache.view.invalidate();
    };
    dataAsOf(saturdayNoon);
    const closed = await request<VerdictEvent>(kiosk, 'scan', { text: t.codes.app(0), source: 'typed' });
    expect([closed.verdict.outcome, closed.ticket, closed.noTicket?.reason]).toEqual(['accepted', null, 'CLOSED']);
    expect(closed.noTicket?.opensAt).toBe(new Date(mondayMorning.getTime() - 45 * 60_000).toISOString()); // Monday 08:45 JST
    expect(closed.noTicket?.message.ja).toContain('受付時間外');

    c.set(mondayMorning);
    dataAsOf(mondayMorning);
    const open = await request<VerdictEvent>(kiosk, 'scan', { text: t.codes.app(1), source: 'camera' });
    expect(open.ticket?.number).toBe('A-001');
    const state = (await (await fetch(`${t.daemon.url}/api/state`)).json()) as KioskState;
    expect(state.hours).toEqual({ open: true, opensAt: null, closesAt: new Date(mondayMorning.getTime() + 150 * 60_000).toISOString() }); // 12:00 JST
  });

  it('numbers restart each office day (Japan time), and the waiting cap sends people to the counter', async () => {
    const midnight = nextJst(new Date(Date.now() + JST + DAY).getUTCDay(), 0, 0); // the coming midnight in Japan
    const c = clock(new Date(midnight.getTime() - 2 * 60_000));
    t = await startTestDaemon({ KIOSK_MAX_WAITING: '2', KIOSK_TICKET_PREFIX: 'B', KIOSK_MAX_CACHE_AGE: '172800' }, { now: c.now });
    const kiosk = await t.kiosk();
    const scan = (i: number) => request<VerdictEvent>(kiosk, 'scan', { text: t!.codes.app(i), source: 'typed' });
    expect((await scan(0)).ticket?.number).toBe('B-001');
    expect((await scan(1)).ticket?.number).toBe('B-002');
    const full = await scan(2);
    expect([full.ticket, full.noTicket?.reason, full.queue?.waiting]).toEqual([null, 'QUEUE_FULL', 2]);
    c.set(new Date(midnight.getTime() + 60_000)); // the next office day
    expect((await scan(3)).ticket?.number).toBe('B-001');
  });

  it('a run of rejected scans at one device alerts staff', async () => {
    t = await startTestDaemon();
    const kiosk = await t.kiosk();
    const states: KioskState[] = [];
    kiosk.on('state', (s: KioskState) => states.push(s));
    for (let i = 0; i < 5; i++) await request(kiosk, 'scan', { text: `NOT-A-CODE-${i}`, source: 'typed' });
    // The state push is debounced: wait for it rather than for a fixed time (a loaded machine is slow).
    await until(() => states.at(-1)?.alerts.length, 'the alert on the screens');
    expect(states.at(-1)?.alerts.map((a) => a.deviceId)).toEqual(['kiosk-1:typed']);
    expect(t.daemon.ctx.audit.tail(1)[0]?.type).toBe('alert');
  });

  it('/healthz and /metrics report what happened', async () => {
    t = await startTestDaemon();
    const kiosk = await t.kiosk();
    await request(kiosk, 'scan', { text: t.codes.app(0), source: 'typed' });
    await request(kiosk, 'scan', { text: 'garbage', source: 'typed' });
    expect((await fetch(`${t.daemon.url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${t.daemon.url}/metrics`)).text();
    expect(metrics).toContain('kiosk_scans_total{outcome="accepted",reason="",code_type="APP"} 1');
    expect(metrics).toContain('kiosk_scans_total{outcome="rejected",reason="MALFORMED",code_type=""} 1');
    expect(metrics).toMatch(/kiosk_verify_seconds_count 2/);
    expect(metrics).toMatch(/kiosk_outbox_depth 2/); // the ticket and the rejected scan
    expect(metrics).toMatch(/kiosk_tickets_waiting 1/);
  });
});
