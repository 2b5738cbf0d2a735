// Staff sign-in attacked from the office LAN (issue 8): a real daemon, real HTTP from several
// loopback source addresses (127.0.0.0/8 plays the LAN's machines), a real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestDaemon, STAFF_PIN, type TestDaemon } from './support/daemon-harness.js';
import { signInFrom, type RawResponse } from './support/raw-http.js';

const COUNTER = '127.0.0.1';
const WRONG = '000000';

let t: TestDaemon;
beforeEach(async () => {
  t = await startTestDaemon();
});
afterEach(() => t.stop());

const statuses = (responses: RawResponse[]) => {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
};
const auditRows = () => t.daemon.ctx.audit.count();
const errorCode = (r: RawResponse) => (r.json as { error?: { code?: string } } | undefined)?.error?.code;

describe('staff sign-in throttling', () => {
  it('a flood of wrong PINs for s1 from one machine neither locks the counter out nor fills the database', async () => {
    const before = auditRows();
    const flood = Promise.all(Array.from({ length: 300 }, () => signInFrom(t.daemon.url, '127.0.0.2', 's1', WRONG)));
    // The staff member at the counter signs in while the flood is running.
    const counter = await signInFrom(t.daemon.url, COUNTER, 's1', STAFF_PIN);
    const floodResults = await flood;
    expect(counter.status, counter.text).toBe(200);
    const counts = statuses(floodResults);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(300);
    expect(counts[429]).toBeGreaterThanOrEqual(295); // at most 5 PIN checks for one (id, machine)
    expect(floodResults.find((r) => r.status === 429)?.headers['retry-after']).toMatch(/^\d+$/);
    // One success row, at most five refusals that reached the PIN check, one row for the lock.
    expect(auditRows() - before).toBeLessThanOrEqual(7);
  });

  it('one machine trying many ids is throttled as a whole; other machines are not', async () => {
    const results: RawResponse[] = [];
    for (let i = 0; i < 25; i++) results.push(await signInFrom(t.daemon.url, '127.0.0.3', `guess${i}`, WRONG));
    // The 20th failure from one machine throttles it, whatever the ids.
    expect(results.slice(0, 19).map((r) => r.status)).toEqual(Array(19).fill(401));
    expect(results.slice(19).map((r) => r.status)).toEqual(Array(6).fill(429));
    // Even the right PIN is refused from that machine for now…
    const attacker = await signInFrom(t.daemon.url, '127.0.0.3', 's1', STAFF_PIN);
    expect([attacker.status, errorCode(attacker)]).toEqual([429, 'LOCKED_OUT']);
    // …and the counter is not affected.
    expect((await signInFrom(t.daemon.url, COUNTER, 's1', STAFF_PIN)).status).toBe(200);
  });

  it('a staff member locked out at a shared counter does not lock out a colleague there', async () => {
    await t.daemon.ctx.staff.add('s2', '窓口 次郎', '864213');
    for (let i = 0; i < 4; i++) expect((await signInFrom(t.daemon.url, COUNTER, 's1', WRONG)).status).toBe(401);
    const fifth = await signInFrom(t.daemon.url, COUNTER, 's1', WRONG);
    expect([fifth.status, errorCode(fifth)]).toEqual([429, 'LOCKED_OUT']);
    expect(Number(fifth.headers['retry-after'])).toBe(15 * 60);
    expect((await signInFrom(t.daemon.url, COUNTER, 's1', STAFF_PIN)).status).toBe(429);
    expect((await signInFrom(t.daemon.url, COUNTER, 's2', '864213')).status).toBe(200);
  });

  it('guesses for one id from many machines lock it, except where it signed in before', async () => {
    expect((await signInFrom(t.daemon.url, COUNTER, 's1', STAFF_PIN)).status).toBe(200);
    // Seven machines, five wrong PINs each: 35 failures against s1 from machines not yet throttled.
    for (let m = 10; m < 17; m++) {
      for (let i = 0; i < 5; i++) await signInFrom(t.daemon.url, `127.0.0.${m}`, 's1', WRONG);
    }
    const stranger = await signInFrom(t.daemon.url, '127.0.0.20', 's1', STAFF_PIN);
    expect([stranger.status, errorCode(stranger)]).toEqual([429, 'LOCKED_OUT']);
    // The counter signed in as s1 before: it is not locked out by other machines' guesses.
    expect((await signInFrom(t.daemon.url, COUNTER, 's1', STAFF_PIN)).status).toBe(200);
  });

  it('bounds the PIN checks in flight: a burst from many machines is partly answered 503 at once', async () => {
    expect((await signInFrom(t.daemon.url, COUNTER, 's1', STAFF_PIN)).status).toBe(200);
    const pending = Promise.all(Array.from({ length: 40 }, (_, i) => signInFrom(t.daemon.url, `127.0.1.${i + 1}`, `id${i}`, WRONG)));
    // The counter signed in as s1 before: its check has a line of its own, so the burst cannot crowd it out.
    const counter = await signInFrom(t.daemon.url, COUNTER, 's1', STAFF_PIN);
    const burst = await pending;
    expect(counter.status, counter.text).toBe(200);
    const counts = statuses(burst);
    expect((counts[401] ?? 0) + (counts[503] ?? 0)).toBe(40);
    expect(counts[503]).toBeGreaterThan(0);
    const busy = burst.find((r) => r.status === 503)!;
    expect([errorCode(busy), busy.headers['retry-after']]).toEqual(['BUSY', '1']);
    // Refused for being busy is not a failed guess: the machine may try again at once.
    expect((await signInFrom(t.daemon.url, '127.0.1.1', 's1', STAFF_PIN)).status).toBe(200);
  });
});
