// A hub and kiosks that sync from it, as separate processes on 127.0.0.1: the hub (`kiosk hub`)
// behind a TCP proxy the test can cut or point elsewhere, and kiosk daemons with their own data
// directories, staff accounts and device tokens.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import type { KioskState } from '../../protocol/events.js';
import type { ChangeRecord } from '../../protocol/feed-records.js';
import type { HubStore } from '../../sync/hub/index.js';
import { runCli, startDaemonProcess, type DaemonProcess } from './daemon-process.js';
import { STAFF_PIN, until } from './daemon-harness.js';

export { STAFF_PIN };
import { tempDir } from './fixtures.js';
import { rec, receipt, type HubStorage } from './hub-harness.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

export const OFFICE = '4301';

/** An office's master data: the office and `apps` ready screen applications. */
export function officeRecords(apps: number, office = OFFICE): ChangeRecord[] {
  return [rec.office(office), ...Array.from({ length: apps }, (_, i) => rec.app(receipt(office, i), office))];
}

export interface SyncedKiosk {
  deviceId: string;
  /** Its device token at the hub. */
  token: string;
  dataDir: string;
  daemon: DaemonProcess;
  state(): Promise<KioskState>;
  /** A signed-in /staff socket. */
  staff(): Promise<Socket>;
  /** Hand over these applications, `parallel` at a time; resolves with those acknowledged ok. */
  handOver(receipts: readonly string[], parallel?: number): Promise<string[]>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Start a kiosk daemon process enrolled at the hub (through `proxy`), with one staff account. */
export async function startSyncedKiosk(store: HubStore, proxy: TcpProxy, deviceId: string, env: Record<string, string> = {}): Promise<SyncedKiosk> {
  const tmp = tempDir(`kiosk-${deviceId}-`);
  const dataDir = join(tmp.dir, 'data');
  const token = await store.enroll(deviceId, OFFICE);
  const add = runCli(['staff', 'add', 's1', '--name', '窓口 花子', '--data', dataDir], { input: `${STAFF_PIN}\n` });
  if (add.status !== 0) throw new Error(add.stderr);
  const kioskEnv = { KIOSK_UPSTREAM: proxy.url, KIOSK_UPSTREAM_TOKEN: token, KIOSK_DEVICE_ID: deviceId, KIOSK_OFFICE: OFFICE, KIOSK_MODE: 'counter', ...env };
  let daemon = await startDaemonProcess(dataDir, kioskEnv);
  const sockets: Socket[] = [];
  const kiosk: SyncedKiosk = {
    deviceId,
    token,
    dataDir,
    get daemon() {
      return daemon;
    },
    state: async () => (await (await fetch(`${daemon.url}/api/state`)).json()) as KioskState,
    async staff() {
      const res = await fetch(`${daemon.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffId: 's1', pin: STAFF_PIN }) });
      if (!res.ok) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
      const { token: session } = (await res.json()) as { token: string };
      const socket = connect(`${daemon.url}/staff`, { transports: ['websocket'], reconnection: false, auth: { token: session } });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('connect_error', reject));
      return socket;
    },
    async handOver(receipts, parallel = 4) {
      const socket = await kiosk.staff();
      const acknowledged: string[] = [];
      let next = 0;
      const worker = async () => {
        while (next < receipts.length) {
          const receiptNumber = receipts[next++]!;
          const ack = (await socket.timeout(10_000).emitWithAck('handover', { id: randomUUID(), receiptNumber })) as { ok: boolean };
          if (ack.ok) acknowledged.push(receiptNumber);
        }
      };
      await Promise.all(Array.from({ length: parallel }, worker));
      socket.disconnect();
      return acknowledged;
    },
    async restart() {
      await daemon.stop();
      daemon = await startDaemonProcess(dataDir, kioskEnv);
    },
    async stop() {
      for (const s of sockets) s.disconnect();
      await daemon.stop();
      tmp.cleanup();
    },
  };
  return kiosk;
}

/** Wait until the kiosk has caught up with the hub and holds `applications` of them. */
export async function untilSynced(kiosk: SyncedKiosk, applications: number, ms = 30_000): Promise<KioskState> {
  let state: KioskState | undefined;
  let held = -1;
  await until(
    async () => {
      // A poll may meet a keep-alive socket the daemon closed while runCli below blocked this
      // process for seconds on a loaded machine ("other side closed"): that is not an answer, ask again.
      const answer = await kiosk.state().catch((e: unknown) => ((e as { cause?: { code?: string } }).cause?.code === 'UND_ERR_SOCKET' ? null : Promise.reject(e)));
      if (!answer) return false;
      state = answer;
      if (state.upstream.state !== 'online' || state.upstream.detail || state.cache.asOf === null) return false;
      held = (JSON.parse(runCli(['status', '--json', '--data', kiosk.dataDir]).stdout) as { counts: { applications: number } }).counts.applications;
      return held === applications;
    },
    `${kiosk.deviceId} to sync ${applications} applications (holds ${held})`,
    ms,
  );
  return state!;
}

export { startTcpProxy, type HubStorage };
