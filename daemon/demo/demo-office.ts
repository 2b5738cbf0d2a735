// A whole demo office on one machine (`kiosk demo-office`, `npm run demo:office`): one hub in this
// process (SQLite beside the stations' data) and each station a `kiosk daemon` process of its own,
// on its own port, enrolled at the hub and sharing the office queue (docs/office.md). The first
// station founds the office log; the others join through it. Demo only: demo data, a demo staff
// account, and the hub's own signing key.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ChangeRecord } from '../../protocol/feed-records.js';
import { openHubStore, startHub, type HubStore } from '../../sync/hub/index.js';
import { hashPin } from '../staff/pin.js';
import { demoCodes, demoFeed } from './demo-data.js';

export const DEMO_OFFICE_CODE = '4301';
export const DEMO_STAFF = { id: 'demo', pin: '246813' };

export interface DemoStationSpec {
  id: string;
  mode: 'kiosk' | 'counter';
  /** The screen a browser opens at this station. */
  screen: '/' | '/counter' | '/display';
}

export const DEMO_STATIONS: DemoStationSpec[] = [
  { id: 'kiosk-1', mode: 'kiosk', screen: '/' },
  { id: 'kiosk-2', mode: 'kiosk', screen: '/' },
  { id: 'counter-1', mode: 'counter', screen: '/counter' },
  { id: 'counter-2', mode: 'counter', screen: '/counter' },
  { id: 'display-1', mode: 'counter', screen: '/display' },
];

export interface DemoOfficeOptions {
  dataDir: string;
  /** The first station's port; the others follow (0: any free port for each). */
  basePort: number;
  /** The built `kiosk` command (bin/kiosk.js). */
  cli: string;
  stations?: DemoStationSpec[];
  /** More master data (the bench publishes many applications). */
  records?: ChangeRecord[];
  /** More environment for every station. */
  env?: Record<string, string>;
  logger: Logger;
}

export interface DemoOfficeStation extends DemoStationSpec {
  url: string;
  token: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface DemoOffice {
  hubUrl: string;
  store: HubStore;
  stations: DemoOfficeStation[];
  /** Where the demo's codes to scan were written. */
  codesFile: string;
  stop(): Promise<void>;
}

export async function startDemoOffice(o: DemoOfficeOptions): Promise<DemoOffice> {
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  const store = await openHubStore({ dataDir: join(o.dataDir, 'hub') });
  const stations: DemoOfficeStation[] = [];
  const stopAll = async () => {
    await Promise.all(stations.map((s) => s.stop()));
    await hub?.stop();
    await store.close();
  };
  let hub: Awaited<ReturnType<typeof startHub>> | undefined;
  try {
    if ((await store.info()).head <= 1) {
      const staff: ChangeRecord = { seq: 0, entity: 'staff', id: DEMO_STAFF.id, op: 'upsert', data: { office: DEMO_OFFICE_CODE, name: '窓口 デモ', pinHash: await hashPin(DEMO_STAFF.pin), disabled: false } };
      await store.publish([...demoFeed(), staff, ...(o.records ?? [])]);
    }
    hub = await startHub({ store, host: '127.0.0.1', port: 0, logger: o.logger.child({ component: 'demo-hub' }) });
    const specs = o.stations ?? DEMO_STATIONS;
    for (const [n, spec] of specs.entries()) {
      const founder = stations[0];
      const token = await store.enroll(spec.id, DEMO_OFFICE_CODE);
      const env = {
        KIOSK_DATA_DIR: join(o.dataDir, spec.id),
        KIOSK_PORT: String(o.basePort === 0 ? 0 : o.basePort + n),
        KIOSK_DEVICE_ID: spec.id,
        KIOSK_MODE: spec.mode,
        KIOSK_OFFICE: DEMO_OFFICE_CODE,
        KIOSK_UPSTREAM: hub.url,
        KIOSK_UPSTREAM_TOKEN: token,
        KIOSK_QUEUE: founder ? founder.url : 'found',
        KIOSK_PRINTER: 'none',
        KIOSK_SCANNERS: 'none',
        ...o.env,
      };
      stations.push(await startStation(o.cli, spec, token, env));
    }
    const codesFile = join(o.dataDir, 'codes.txt');
    const codes = await demoCodes((input) => store.mint(input), new Date());
    writeFileSync(codesFile, codes.map((c) => `${c.label}\n${c.text}\n`).join('\n'), { mode: 0o600 });
    return { hubUrl: hub.url, store, stations, codesFile, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** Start one station's daemon; resolves once it listens. */
function startStation(cli: string, spec: DemoStationSpec, token: string, env: Record<string, string>): Promise<DemoOfficeStation> {
  const child = spawn(process.execPath, [cli, 'daemon'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let err = '';
    let listening = false;
    child.stderr!.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000); // read on, or a full pipe would stall the station
      const m = listening ? null : /listening on (http:\/\/\S+)/.exec(err);
      if (m) {
        listening = true;
        resolve({
          ...spec,
          url: m[1]!,
          token,
          child,
          stop: async (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            await exited;
          },
        });
      }
    });
    void exited.then(() => reject(new Error(`station ${spec.id} exited: ${err.slice(-2000)}`)));
  });
}
