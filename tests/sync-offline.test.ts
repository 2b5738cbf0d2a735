// A kiosk following its hub through outages, as separate processes: the hub killed with kill -9,
// killed in the middle of a batch, and the answer to a batch lost after the hub applied it. In
// every case the kiosk keeps judging and handing over, says it is offline and how old its data is,
// and once the hub is back every event is applied at the hub exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../sync/hub/index.js';
import { until } from './support/daemon-harness.js';
import { receipt, useHubEngine } from './support/hub-harness.js';
import { officeRecords, OFFICE, startSyncedKiosk, startTcpProxy, untilSynced, type SyncedKiosk } from './support/sync-office.js';
import type { TcpProxy } from './support/tcp-proxy.js';

const APPS = 600;
const receipts = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => receipt(OFFICE, from + i));

describe('a kiosk through hub outages', () => {
  const h = useHubEngine('sqlite');
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  async function office() {
    const storage = await h.storage();
    const store = await h.open(storage);
    await store.publish(officeRecords(APPS));
    let hub = await h.hubProcess(storage);
    const proxy: TcpProxy = await startTcpProxy(hub.url);
    stops.push(() => proxy.stop());
    const kiosk: SyncedKiosk = await startSyncedKiosk(store, proxy, 'kiosk-1');
    stops.push(() => kiosk.stop());
    const synced = await untilSynced(kiosk, APPS);
    return {
      store,
      proxy,
      kiosk,
      synced,
      killHub: () => hub.child.kill('SIGKILL'),
      async restartHub() {
        hub = await h.hubProcess(storage);
        proxy.retarget(hub.url);
      },
      async pickupsAtHub(): Promise<StoredEvent[]> {
        const events: StoredEvent[] = [];
        for await (const e of store.events()) if (e.type === 'pickup') events.push(e);
        return events;
      },
    };
  }

  /** Every handover acknowledged at the kiosk is one applied pickup at the hub: none lost, none twice. */
  async function expectExactlyOnce(o: Awaited<ReturnType<typeof office>>, acknowledged: readonly string[]) {
    await until(async () => (await o.kiosk.state()).upstream.outboxDepth === 0, 'the outbox to drain', 60_000);
    const pickups = await o.pickupsAtHub();
    expect(pickups.every((e) => e.status === 'applied')).toBe(true);
    const byReceipt = pickups.map((e) => String(e.data['receiptNumber'])).sort();
    expect(byReceipt).toEqual([...acknowledged].sort());
    expect(new Set(pickups.map((e) => e.id)).size).toBe(pickups.length);
  }

  it('hub killed with kill -9: 500 handovers offline, data shown as cached and as of when; back, each applied once', async () => {
    const o = await office();
    o.killHub();
    const offline = await until(async () => {
      const s = await o.kiosk.state();
      return s.upstream.state === 'offline' && s;
    }, 'the kiosk to notice', 30_000);
    expect(offline.upstream.lastError).toMatch(/cannot reach the hub/);

    const acknowledged = await o.kiosk.handOver(receipts(0, 500));
    expect(acknowledged).toHaveLength(500);
    const during = await o.kiosk.state();
    expect(during.upstream).toMatchObject({ state: 'offline', outboxDepth: 500 });
    expect(during.cache.asOf).toBe(o.synced.cache.asOf); // judged from the cache, and says as of when
    expect(during.upstream.since).not.toBeNull();

    await o.restartHub();
    await expectExactlyOnce(o, acknowledged);
    await until(async () => {
      const s = await o.kiosk.state();
      return s.upstream.state === 'online' && s.upstream.lastError === null;
    }, 'online again with no error', 60_000);
  }, 180_000);

  it('hub killed in the middle of a batch: nothing lost, nothing twice', async () => {
    const o = await office();
    o.proxy.down(); // gather an outbox of three batches, then let it drain into a hub that dies under the second
    const acknowledged = await o.kiosk.handOver(receipts(0, APPS), 8);
    const secondBatch = o.proxy.requestForwarded('POST /sync/v1/events', 2);
    o.proxy.up();
    await secondBatch;
    o.killHub();
    const arrived = (await o.pickupsAtHub()).length;
    expect(arrived).toBeGreaterThan(0);
    expect(arrived).toBeLessThan(acknowledged.length); // really in the middle
    await o.restartHub();
    await expectExactlyOnce(o, acknowledged);
  }, 180_000);

  it('the answer to a batch lost after the hub applied it: the retry is a duplicate, not a second pickup', async () => {
    const o = await office();
    o.proxy.down();
    const acknowledged = await o.kiosk.handOver(receipts(0, 300));
    const lost = o.proxy.loseNextAnswerTo('POST /sync/v1/events');
    o.proxy.up();
    await lost;
    // The hub applied the batch whose answer never arrived: the kiosk sends it again.
    await expectExactlyOnce(o, acknowledged);
  }, 180_000);
});
