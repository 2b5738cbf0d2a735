// A whole office on loopback: one hub process and stations that are each their own `kiosk daemon`
// process, enrolled at the hub, sharing the office queue (KIOSK_QUEUE): the first founds the
// office log, the others join through it.
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterEach } from 'vitest';
import type { VerdictEvent } from '../../protocol/events.js';
import type { ChangeRecord } from '../../protocol/feed-records.js';
import type { HubStore } from '../../sync/hub/index.js';
import type { useHubEngine } from './hub-harness.js';
import { until } from './daemon-harness.js';
import { kioskSocket } from './daemon-process.js';
import { startSyncedKiosk, untilSynced, type SyncedKiosk } from './sync-office.js';
import type { TcpProxy } from './tcp-proxy.js';

export interface Station extends SyncedKiosk {
  /** The office log's view from this station (its own token on the station-to-station route). */
  status(): Promise<StationStatus>;
}

export interface StationStatus {
  state: 'current' | 'unavailable';
  holder: string | null;
  stations: number;
  log: { role: string; commitIndex: number; lastIndex: number; members: { id: string; url: string }[] } | null;
  queue: { id: string; number: string; status: string; counter: string | null }[];
}

/** Things to stop after each test, last started first; register inside a describe(). */
export function useStops(): (stop: () => Promise<unknown>) => void {
  const stops: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  });
  return (stop) => void stops.push(stop);
}

/** A hub process holding `records`, which the stations talk to directly (no proxy to cut). */
export async function officeHub(h: ReturnType<typeof useHubEngine>, records: ChangeRecord[]): Promise<{ store: HubStore; hub: TcpProxy }> {
  const storage = await h.storage();
  const store = await h.open(storage);
  await store.publish(records);
  return { store, hub: { url: (await h.hubProcess(storage)).url } as TcpProxy };
}

/** Start a station: `queue` is `found` for the first, the URL of a station for the others. */
export async function startStation(store: HubStore, hub: TcpProxy, deviceId: string, mode: 'kiosk' | 'counter', queue: string, apps: number, env: Record<string, string> = {}): Promise<Station> {
  const synced = await startSyncedKiosk(store, hub, deviceId, { KIOSK_MODE: mode, KIOSK_QUEUE: queue, KIOSK_COUNTERS: '1,2,3,4', KIOSK_MAX_WAITING: '1000', ...env });
  await untilSynced(synced, apps);
  const station = synced as Station;
  station.status = async () => {
    const res = await fetch(`${station.daemon.url}/office/v1/status`, { headers: { authorization: `Bearer ${station.token}` } });
    if (!res.ok) throw new Error(`${deviceId} status: ${res.status}`);
    return (await res.json()) as StationStatus;
  };
  return station;
}

/** Wait until every station hears the same queue holder and the office log lists them all. */
export async function untilOffice(stations: readonly Station[], ms = 60_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const all = await Promise.all(stations.map((s) => s.status().catch(() => null)));
    const holder = all[0]?.holder;
    if (holder && all.every((s) => s && s.state === 'current' && s.holder === holder && s.stations === stations.length)) return holder;
    if (Date.now() > end) throw new Error(`the office of ${stations.length} stations did not form: ${JSON.stringify(all.map((s) => s && [s.state, s.holder, s.stations]))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Wait until every station's copy of the queue is the same as the first one's and passes `ok`. */
export async function untilSameQueue(stations: readonly Station[], ok: (queue: StationStatus['queue']) => boolean, ms = 30_000): Promise<StationStatus['queue']> {
  return until(
    async () => {
      const queues = await Promise.all(stations.map(async (s) => (await s.status()).queue));
      const first = JSON.stringify(queues[0]);
      return queues.every((q) => JSON.stringify(q) === first) && ok(queues[0]!) && queues[0]!;
    },
    'every station to hold the same queue',
    ms,
  );
}

/** A kiosk screen's socket that scans typed codes. */
export async function scanner(station: Station): Promise<{ scan(text: string): Promise<VerdictEvent>; socket: Socket }> {
  const socket = await kioskSocket(station.daemon.url);
  return { socket, scan: async (text) => (await socket.timeout(20_000).emitWithAck('scan', { text, source: 'typed' })) as VerdictEvent };
}

/** A staff action over a signed-in /staff socket. */
export async function act<T>(socket: Socket, event: string, payload: Record<string, unknown>): Promise<T> {
  return (await socket.timeout(20_000).emitWithAck(event, { id: randomUUID(), ...payload })) as T;
}

/** Run `jobs` with at most `parallel` at a time. */
export async function inParallel<T>(jobs: readonly (() => Promise<T>)[], parallel: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return out;
}
