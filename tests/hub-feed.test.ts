// The hub's change feed on both engines: paging, gaps, office scoping, compaction, publishing all
// or nothing, asOf and feedId, and seqs becoming visible in order under concurrent writers.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { checkChangesPage } from '../protocol/sync.js';
import { call, collect, ENGINES, ndjsonOf, rec, receipt, useHubEngine, type HubStorage } from './support/hub-harness.js';

// Child processes (kiosk commands, hub processes) start slowly on a loaded machine.
vi.setConfig({ testTimeout: 120_000 });

interface Page {
  feedId: string;
  asOf: string;
  hubTime: string;
  head: number;
  next: number;
  more: boolean;
  changes: Array<{ seq: number; entity: string; id: string; op: string; data: Record<string, unknown> | null }>;
}

async function page(url: string, token: string, query: string): Promise<Page> {
  const r = await call<Page>(url, `/sync/v1/changes?${query}`, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const checked = checkChangesPage(r.body);
  expect(checked.ok, checked.ok ? '' : checked.error).toBe(true);
  return r.body;
}

/** Follow the feed from `since` to its end, page by page, as a kiosk does. */
async function readAll(url: string, token: string, { since = 0, limit = 1000, office }: { since?: number; limit?: number; office?: string } = {}) {
  const pages: Page[] = [];
  let cursor = since;
  for (;;) {
    const p = await page(url, token, `since=${cursor}&limit=${limit}${office ? `&office=${office}` : ''}`);
    pages.push(p);
    cursor = p.next;
    if (!p.more) return { pages, records: pages.flatMap((x) => x.changes), cursor };
  }
}

describe.each(ENGINES)('hub feed on %s', (engine) => {
  const h = useHubEngine(engine);

  it('pages a snapshot in seq order, then serves only what changed, compacting old seqs away', async () => {
    const hub = await h.hub();
    const token = await hub.store.enroll('k1', null);
    await hub.store.publish([rec.office('4301'), ...Array.from({ length: 25 }, (_, i) => rec.app(receipt('4301', i), '4301'))]);
    const all = await readAll(hub.url, token, { limit: 10 });
    expect(all.pages.map((p) => [p.changes.length, p.more])).toEqual([
      [10, true],
      [10, true],
      [7, false], // the hub's key, the office, 25 applications
    ]);
    const seqs = all.records.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(all.pages[0]!.next).toBe(seqs[9]);
    expect(all.cursor).toBe(all.pages[0]!.head);
    expect(new Set(all.pages.map((p) => p.feedId)).size).toBe(1);
    const exact = await page(hub.url, token, 'since=0&limit=27');
    expect([exact.changes.length, exact.more, exact.next]).toEqual([27, false, exact.head]);
    const oneShort = await page(hub.url, token, 'since=0&limit=26');
    expect([oneShort.changes.length, oneShort.more, oneShort.next]).toEqual([26, true, seqs[25]]);

    const head = all.cursor;
    await hub.store.publish([rec.app(receipt('4301', 3), '4301', { status: 'collected' })]);
    const delta = await page(hub.url, token, `since=${head}`);
    expect(delta.changes).toHaveLength(1);
    expect(delta.changes[0]).toMatchObject({ seq: head + 1, entity: 'application', id: receipt('4301', 3), op: 'upsert', data: { status: 'collected' } });
    expect([delta.head, delta.next, delta.more]).toEqual([head + 1, head + 1, false]);
    const snapshot = await readAll(hub.url, token);
    expect(snapshot.records).toHaveLength(27); // one row per record: the old seq is gone
    expect(snapshot.records.filter((r) => r.id === receipt('4301', 3))).toEqual([delta.changes[0]]);

    const nothing = await page(hub.url, token, `since=${head + 1}`);
    expect([nothing.changes, nothing.next, nothing.head]).toEqual([[], head + 1, head + 1]);

    // Records are spliced from stored text: ids that need escaping come out as valid JSON.
    const odd = 'a"b\\c\t熊本';
    await hub.store.publish([rec.procedureType(odd)]);
    expect((await page(hub.url, token, `since=${head + 1}`)).changes).toMatchObject([{ entity: 'procedureType', id: odd }]);
  });

  it("scopes applications to the office asked for, and next covers the gaps other offices' records leave", async () => {
    const hub = await h.hub();
    const token = await hub.store.enroll('k1', null);
    await hub.store.publish([rec.office('4301'), rec.office('4302'), rec.receiver('R1')]);
    await hub.store.publish(Array.from({ length: 6 }, (_, i) => rec.app(receipt('4301', i), '4301')));
    await hub.store.publish(Array.from({ length: 6 }, (_, i) => rec.app(receipt('4302', i), '4302')));
    const a = await readAll(hub.url, token, { office: '4301', limit: 4 });
    expect(a.records.map((r) => r.entity).filter((e) => e !== 'application')).toEqual(['key', 'office', 'office', 'receiver']);
    expect(a.records.filter((r) => r.entity === 'application').map((r) => r.data?.['office'])).toEqual(Array(6).fill('4301'));
    expect(a.cursor).toBe(a.pages.at(-1)!.head); // past office 4302's six records without reading them

    // An application that moves to another office reaches the office it left, then stops.
    const moved = receipt('4301', 0);
    await hub.store.publish([rec.app(moved, '4302')]);
    const afterMove = await page(hub.url, token, `since=${a.cursor}&office=4301`);
    expect(afterMove.changes).toMatchObject([{ id: moved, data: { office: '4302' } }]);
    const b = await readAll(hub.url, token, { office: '4302' });
    expect(b.records.filter((r) => r.entity === 'application').map((r) => r.data?.['office'])).toEqual(Array(7).fill('4302'));
    expect(b.records.some((r) => r.data?.['office'] === '4301')).toBe(false);

    // A deleted application stays as a tombstone for its office only.
    await hub.store.publish([rec.remove('application', receipt('4301', 1))]);
    const tomb = await page(hub.url, token, `since=${afterMove.next}&office=4301`);
    expect(tomb.changes).toMatchObject([{ entity: 'application', id: receipt('4301', 1), op: 'delete', data: null }]);
    expect((await page(hub.url, token, `since=${afterMove.next}&office=4302`)).changes).toEqual([]);
  });

  it('republishing equal records changes nothing; asOf follows an older meta record; feedId is the storage’s own', async () => {
    const hub = await h.hub();
    const token = await hub.store.enroll('k1', null);
    const records = [rec.office('4301'), rec.receiver('R1'), rec.app(receipt('4301', 1), '4301', { receiverId: 'R1' })];
    expect(await hub.store.publish(records)).toMatchObject({ changed: 3, unchanged: 0 });
    const head = (await page(hub.url, token, 'since=0')).head;
    // Same data with its keys in another order is the same data.
    const reordered = records.map((r) => reverseKeys(r) as typeof r);
    expect(await hub.store.publish(reordered)).toEqual({ changed: 0, unchanged: 3, head });

    const current = await page(hub.url, token, 'since=0');
    expect(Math.abs(Date.parse(current.asOf) - Date.parse(current.hubTime))).toBeLessThan(1000);
    await hub.store.publish([rec.meta('2026-11-27T00:50:00Z')]);
    const exported = await page(hub.url, token, 'since=0');
    expect(exported.asOf).toBe('2026-11-27T00:50:00Z');
    await hub.store.publish([rec.meta('2999-01-01T00:00:00Z')]); // a meta record from the future does not pretend
    const future = await page(hub.url, token, 'since=0');
    expect(future.asOf).toBe(future.hubTime);

    const other = await h.hub();
    const otherToken = await other.store.enroll('k1', null);
    expect((await page(other.url, otherToken, 'since=0')).feedId).not.toBe(current.feedId);
    await hub.stop();
    const again = await h.hub({ storage: hub.storage });
    expect((await page(again.url, token, 'since=0')).feedId).toBe(current.feedId);
  });

  it('kiosk hub publish checks every line first: one bad line and nothing is appended; seqs in the file are ignored', async () => {
    const hub = await h.hub();
    const token = await hub.store.enroll('k1', null);
    const before = (await page(hub.url, token, 'since=0')).head;
    const file = join(hub.storage.dataDir, 'feed.ndjson');
    const good = [rec.office('4301'), rec.app(receipt('4301', 1), '4301')].map((r) => ({ ...r, seq: 999 }));
    writeFileSync(file, ndjsonOf(good) + '{"seq":3,"entity":"office","id":"4302","op":"upsert","data":{"name":{"ja":"x"}}}\n');
    const bad = await h.kiosk(hub.storage, ['hub', 'publish', file]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('kiosk: line 3: office 4302: data.name.en: Invalid input: expected string, received undefined');
    expect((await page(hub.url, token, 'since=0')).head).toBe(before);

    writeFileSync(file, ndjsonOf(good));
    const ok = await h.kiosk(hub.storage, ['hub', 'publish', file]);
    expect([ok.status, ok.stderr.trim()]).toEqual([0, `published 2 records: 2 changed, 0 unchanged; feed head ${before + 2}`]);
    const fromStdin = await h.kiosk(hub.storage, ['hub', 'publish', '-'], ndjsonOf(good));
    expect(fromStdin.stderr.trim()).toBe(`published 2 records: 0 changed, 2 unchanged; feed head ${before + 2}`);
    const p = await page(hub.url, token, `since=${before}`);
    expect(p.changes.map((c) => c.seq)).toEqual([before + 1, before + 2]);
  });

  it('seqs become visible in seq order: a follower under concurrent writers misses nothing', async () => {
    const hub = await h.hub();
    const token = await hub.store.enroll('k1', null);
    const writers = 4;
    const perWriter = 40;
    const done = Promise.all(Array.from({ length: writers }, (_, w) => writer(hub.storage, w, perWriter)));
    let finished = false;
    void done.then(() => (finished = true));
    const seen = new Set<string>();
    let cursor = 0;
    for (let last = false; !last; ) {
      last = finished; // one more full read after the writers are done
      const r = await readAll(hub.url, token, { since: cursor, limit: 7 });
      for (const c of r.records) seen.add(c.id);
      cursor = r.cursor;
    }
    expect((await done).every((status) => status === 0)).toBe(true);
    const snapshot = await readAll(hub.url, token);
    const ids = snapshot.records.filter((r) => r.entity === 'application').map((r) => r.id);
    expect(ids).toHaveLength(writers * perWriter);
    expect(ids.filter((id) => !seen.has(id))).toEqual([]);
  });
});

/** A separate process publishing `count` applications in single-record transactions. */
async function writer(storage: HubStorage, w: number, count: number): Promise<number | null> {
  const script = `
    const { openHubStore } = await import(${JSON.stringify(new URL('../dist/sync/hub/index.js', import.meta.url).href)});
    const store = await openHubStore({ dataDir: process.env.HUB_DIR, databaseUrl: process.env.DATABASE_URL, busyTimeoutMs: 30000 });
    for (let i = 0; i < ${count}; i++) {
      const id = '2026112799' + String(${w}).padStart(2, '0') + String(i).padStart(5, '0');
      await store.publish([{ seq: 0, entity: 'application', id, op: 'upsert', data: { office: '4301', procedureType: 'RENEW', channel: 'screen', status: 'ready', feesPaid: true } }]);
    }
    await store.close();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...storage.env, HUB_DIR: storage.dataDir }, stdio: ['pipe', 'pipe', 'pipe'] });
  const r = await collect(child);
  if (r.status !== 0) console.error(r.stderr);
  return r.status;
}

/** The same value with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}
