// The hub keeps each kiosk's audit head, sent with every batch of events. A kiosk whose whole data
// directory was put back to an older copy (its anchor file with it) agrees with itself, but
// `kiosk audit verify` asks the hub too, and sees the rows that are gone.
import { cpSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from './support/daemon-harness.js';
import { runCli } from './support/daemon-process.js';
import { receipt, useHubEngine } from './support/hub-harness.js';
import { officeRecords, OFFICE, startSyncedKiosk, startTcpProxy, untilSynced } from './support/sync-office.js';

describe("the hub's copy of a kiosk's audit head", () => {
  const h = useHubEngine('sqlite');
  const stops: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  it('catches a data directory put back to an older copy, which the anchor beside it cannot', async () => {
    const storage = await h.storage();
    const store = await h.open(storage);
    await store.publish(officeRecords(10));
    const hub = await h.hubProcess(storage);
    const proxy = await startTcpProxy(hub.url);
    stops.push(() => proxy.stop());
    const kiosk = await startSyncedKiosk(store, proxy, 'kiosk-1');
    stops.push(() => kiosk.stop());
    await untilSynced(kiosk, 10);
    await kiosk.handOver([receipt(OFFICE, 1)]);
    await until(async () => (await kiosk.state()).upstream.outboxDepth === 0, 'the outbox to drain', 30_000);
    await kiosk.daemon.stop();
    const older = `${kiosk.dataDir}-older`;
    cpSync(kiosk.dataDir, older, { recursive: true });

    await kiosk.restart();
    await kiosk.handOver([receipt(OFFICE, 2), receipt(OFFICE, 3)]);
    await until(async () => (await kiosk.state()).upstream.outboxDepth === 0, 'the outbox to drain', 30_000);
    await kiosk.daemon.stop();
    // Someone puts the older directory back: the log and its anchor agree with each other.
    rmSync(kiosk.dataDir, { recursive: true, force: true });
    cpSync(older, kiosk.dataDir, { recursive: true });
    rmSync(older, { recursive: true, force: true });

    const alone = runCli(['audit', 'verify', '--data', kiosk.dataDir], { env: { KIOSK_UPSTREAM: 'none' } });
    expect(alone.status, alone.stderr).toBe(0);
    // Straight to the hub, not through the proxy: spawnSync holds this process, and the proxy with it.
    const withHub = runCli(['audit', 'verify', '--data', kiosk.dataDir], { env: { KIOSK_UPSTREAM: hub.url, KIOSK_UPSTREAM_TOKEN: kiosk.token } });
    expect(withHub.status, withHub.stderr).toBe(1);
    expect(withHub.stderr).toMatch(/audit log does not match: the log ends at seq \d+, but the hub at .* saw seq \d+: rows were removed from its end/);
  }, 120_000);
});
