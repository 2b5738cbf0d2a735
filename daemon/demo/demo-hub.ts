// The demo goes through the real path: `npm start` with nothing configured runs a reference hub in
// this process, on loopback, with SQLite in <data>/demo-hub. It holds the demo data and the demo
// signing key, and the kiosk syncs from it over HTTP like any kiosk from any hub.
import { join } from 'node:path';
import type { Logger } from 'pino';
import { openHubStore, startHub, type HubStore, type MintInput } from '../../sync/hub/index.js';
import { demoFeed } from './demo-data.js';

export const DEMO_HUB_DIR = 'demo-hub';

export interface DemoHub {
  url: string;
  token: string;
  mint(input: MintInput): Promise<string>;
  stop(): Promise<void>;
}

/** Open (or create and fill) the demo hub beside the kiosk's data, serve it on loopback, and enroll this kiosk. */
export async function startDemoHub(dataDir: string, deviceId: string, office: string, logger: Logger): Promise<DemoHub> {
  const store: HubStore = await openHubStore({ dataDir: join(dataDir, DEMO_HUB_DIR) });
  try {
    // The demo data goes in once; what happens afterwards (pickups, registrations) stays, like a real office.
    if ((await store.info()).head <= 1) await store.publish(demoFeed());
    const hub = await startHub({ store, host: '127.0.0.1', port: 0, logger: logger.child({ component: 'demo-hub' }) });
    const token = await store.enroll(deviceId, office);
    return {
      url: hub.url,
      token,
      mint: (input) => store.mint(input),
      stop: async () => {
        await hub.stop();
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}
