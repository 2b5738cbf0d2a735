// Two kiosks of one office, both offline, hand over the same application. On reconnect the hub
// applies one and reports the other as a conflict, and both counter screens show it — not only the
// one whose event conflicted. Staff resolving it at either counter resolve it at both.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CounterState } from '../protocol/events.js';
import type { StoredEvent } from '../sync/hub/index.js';
import { until } from './support/daemon-harness.js';
import { receipt, useHubEngine } from './support/hub-harness.js';
import { officeRecords, OFFICE, startSyncedKiosk, startTcpProxy, untilSynced, type SyncedKiosk } from './support/sync-office.js';

describe('a conflict between two kiosks of an office', () => {
  const h = useHubEngine('sqlite');
  const stops: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  /** What a counter screen of this kiosk is shown now (the state a /staff socket gets on connecting). */
  async function counterState(kiosk: SyncedKiosk): Promise<CounterState> {
    const socket = await kiosk.staff();
    try {
      return await new Promise<CounterState>((resolve) => socket.once('counter-state', resolve));
    } finally {
      socket.disconnect();
    }
  }

  it('both counters show it, and resolving it at one resolves it at both', async () => {
    const storage = await h.storage();
    const store = await h.open(storage);
    await store.publish(officeRecords(5));
    const hub = await h.hubProcess(storage);
    const proxy = await startTcpProxy(hub.url);
    stops.push(() => proxy.stop());
    const a = await startSyncedKiosk(store, proxy, 'kiosk-a');
    stops.push(() => a.stop());
    const b = await startSyncedKiosk(store, proxy, 'kiosk-b');
    stops.push(() => b.stop());
    await untilSynced(a, 5);
    await untilSynced(b, 5);

    proxy.down();
    const same = receipt(OFFICE, 2);
    expect(await a.handOver([same])).toEqual([same]);
    expect(await b.handOver([same])).toEqual([same]); // each judged from its own cache, offline
    proxy.up();
    await until(async () => (await a.state()).upstream.outboxDepth === 0 && (await b.state()).upstream.outboxDepth === 0, 'both outboxes to drain', 60_000);

    const pickups: StoredEvent[] = [];
    for await (const e of store.events()) if (e.type === 'pickup') pickups.push(e);
    expect(pickups.map((e) => e.status).sort()).toEqual(['applied', 'conflict']);
    const lost = pickups.find((e) => e.status === 'conflict')!;

    for (const kiosk of [a, b]) {
      const shown = await until(async () => {
        const c = (await counterState(kiosk)).conflicts;
        return c.length === 1 && c;
      }, `${kiosk.deviceId} to show the conflict`, 30_000);
      expect(shown[0]).toMatchObject({ id: lost.id, type: 'pickup', deviceId: lost.deviceId, ownStation: kiosk.deviceId === lost.deviceId, detail: { code: 'ALREADY_COLLECTED' } });
    }

    // Staff at the kiosk whose handover went through resolve it.
    const winner = lost.deviceId === 'kiosk-a' ? b : a;
    const staff = await winner.staff();
    const ack = (await staff.timeout(10_000).emitWithAck('resolve-conflict', { id: randomUUID(), conflictId: lost.id, note: '両方の窓口で確認しました' })) as { ok: boolean };
    staff.disconnect();
    expect(ack.ok).toBe(true);
    for (const kiosk of [a, b]) await until(async () => (await counterState(kiosk)).conflicts.length === 0, `${kiosk.deviceId} to drop it`, 30_000);
  }, 180_000);
});
