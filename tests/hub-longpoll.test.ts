// Long-polls on both engines: woken at once by a publish in this process, by `kiosk hub publish`
// in another process, and by a change made through another hub process on the same storage; a
// waiter scoped to one office sleeps through other offices' changes; stopping answers everyone.
import { describe, expect, it, vi } from 'vitest';
import { call, ENGINES, ndjsonOf, rec, receipt, useHubEngine, type TestHub } from './support/hub-harness.js';

// Child processes (kiosk commands, hub processes) start slowly on a loaded machine.
vi.setConfig({ testTimeout: 120_000 });

interface Page {
  head: number;
  next: number;
  changes: Array<{ id: string; entity: string }>;
}

/** Start a long-poll; resolves with the page and how long it took. */
function longPoll(url: string, token: string, query: string) {
  const started = Date.now();
  return call<Page>(url, `/sync/v1/changes?${query}`, { token }).then((r) => ({ ...r, ms: Date.now() - started }));
}

const WAIT = 25; // seconds: a wake-up must come long before this

async function headOf(hub: TestHub, token: string): Promise<number> {
  return (await call<Page>(hub.url, '/sync/v1/changes?since=0', { token })).body.head;
}

/** Resolve once the hub holds `n` long-polls (so a change cannot come before the wait). */
async function waitersHeld(ms = 300): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

describe.each(ENGINES)('hub long-poll on %s', (engine) => {
  const h = useHubEngine(engine);

  it('wakes at once when this process publishes', async () => {
    const hub = await h.hub();
    const token = await hub.store.enroll('k1', null);
    const head = await headOf(hub, token);
    const poll = longPoll(hub.url, token, `since=${head}&wait=${WAIT}`);
    await waitersHeld();
    await hub.store.publish([rec.office('4301')]);
    const r = await poll;
    expect(r.body.changes.map((c) => c.id)).toEqual(['4301']);
    expect(r.ms).toBeLessThan(WAIT * 1000 - 5000);
  });

  it('wakes at once when kiosk hub publish runs in another process', async () => {
    const hub = await h.hub();
    const token = await hub.store.enroll('k1', null);
    const head = await headOf(hub, token);
    const poll = longPoll(hub.url, token, `since=${head}&wait=${WAIT}&office=4301`);
    await waitersHeld();
    const published = await h.kiosk(hub.storage, ['hub', 'publish', '-'], ndjsonOf([rec.app(receipt('4301', 1), '4301')]));
    expect(published.status).toBe(0);
    const r = await poll;
    expect(r.body.changes.map((c) => c.id)).toEqual([receipt('4301', 1)]);
    expect(r.ms).toBeLessThan(WAIT * 1000 - 5000);
  });

  it('lets a waiter for one office sleep through another office’s changes until its deadline', async () => {
    const hub = await h.hub();
    const token = await hub.store.enroll('k1', null);
    const head = await headOf(hub, token);
    const poll = longPoll(hub.url, token, `since=${head}&wait=3&office=4301`);
    await waitersHeld();
    await hub.store.publish([rec.app(receipt('4302', 1), '4302')]);
    const r = await poll;
    expect(r.body.changes).toEqual([]);
    expect(r.body.next).toBe(head + 1); // the gap is covered: it never reads that record
    expect(r.ms).toBeGreaterThanOrEqual(2900);

    const again = longPoll(hub.url, token, `since=${r.body.next}&wait=${WAIT}&office=4301`);
    await waitersHeld();
    await hub.store.publish([rec.app(receipt('4302', 2), '4302')]);
    await hub.store.publish([rec.app(receipt('4301', 2), '4301')]);
    const woken = await again;
    expect(woken.body.changes.map((c) => c.id)).toEqual([receipt('4301', 2)]);
    expect(woken.ms).toBeLessThan(WAIT * 1000 - 5000);
  });

  it('wakes a long-poll held by one hub process when a pickup is posted to another', async () => {
    const storage = await h.storage();
    const store = await h.open(storage);
    await store.publish([rec.office('4301'), rec.app(receipt('4301', 7), '4301')]);
    const tokens = { k1: await store.enroll('k1', '4301'), k2: await store.enroll('k2', '4301') };
    const [a, b] = await Promise.all([h.hubProcess(storage), h.hubProcess(storage)]);
    const head = (await call<Page>(b.url, '/sync/v1/changes?since=0&office=4301', { token: tokens.k2 })).body.head;
    const polls = Array.from({ length: 3 }, () => longPoll(b.url, tokens.k2, `since=${head}&wait=${WAIT}&office=4301`));
    await waitersHeld(500);
    const event = { id: crypto.randomUUID(), type: 'pickup', at: new Date().toISOString(), deviceTime: new Date().toISOString(), data: { receiptNumber: receipt('4301', 7), office: '4301' } };
    const posted = await call<{ results: Array<{ status: string }> }>(a.url, '/sync/v1/events', { token: tokens.k1, body: { deviceId: 'k1', office: '4301', auditHead: null, events: [event] } });
    expect(posted.body.results[0]!.status).toBe('applied');
    for (const r of await Promise.all(polls)) {
      expect(r.body.changes.map((c) => c.id)).toEqual([receipt('4301', 7)]);
      expect(r.ms).toBeLessThan(WAIT * 1000 - 5000);
    }
    expect((await a.stop()).status).toBe(0);
    expect((await b.stop()).status).toBe(0);
  });

  it('answers every long-poll at once when the hub stops', async () => {
    const hub = await h.hub();
    const token = await hub.store.enroll('k1', null);
    const head = await headOf(hub, token);
    const poll = longPoll(hub.url, token, `since=${head}&wait=${WAIT}`);
    await waitersHeld();
    await hub.stop();
    const r = await poll;
    expect([r.status, r.body.changes]).toEqual([200, []]);
    expect(r.ms).toBeLessThan(WAIT * 1000 - 5000);
  });
});
