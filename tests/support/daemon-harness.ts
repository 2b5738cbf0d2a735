// A real daemon for end-to-end tests: its own data directory and SQLite file, a feed signed by a
// fresh key, real socat ttys as scanners, the virtual ESC/POS printer on loopback, Socket.IO clients.
import { Readable } from 'node:stream';
import { io as connect, type Socket } from 'socket.io-client';
import type { VerdictEvent } from '../../protocol/events.js';
import { loadConfig } from '../../daemon/config.js';
import { Daemon, DAEMON_MIGRATIONS, type DaemonOptions } from '../../daemon/controller.js';
import { Cache } from '../../daemon/store/cache.js';
import { importFeed } from '../../daemon/store/feed-import.js';
import { generateSigningKey, mintKq1, type SigningKey } from '../../sync/issuing/kq1-issuer.js';
import { ndjson, tempDir } from './fixtures.js';

export const OFFICE = '4301';
/** The PIN of staff member s1. */
export const STAFF_PIN = '246813';

/** A feed for office 4301 with `screenApps` ready APP applications and a receiver with `batchApps`. */
export function testFeed(key: SigningKey, { screenApps = 20, batchApps = 3, asOf = new Date() } = {}): object[] {
  let seq = 0;
  const rec = (entity: string, id: string, data: object) => ({ seq: ++seq, entity, id, op: 'upsert', data });
  const ready = { status: 'ready', feesPaid: true, individualCodeIssued: false, deliverables: ['certificate', 'sticker'], vehicle: { registration: '熊本 580 あ 12-34' }, reviewCompletedAt: '2026-11-20T00:00:00Z' };
  return [
    rec('meta', 'feed', { asOf: asOf.toISOString() }),
    rec('office', OFFICE, { name: { ja: '熊本事務所', en: 'Kumamoto Office' } }),
    rec('key', key.kid, { alg: 'Ed25519', publicKey: key.publicKeyBase64, notBefore: '2026-01-01T00:00:00Z', notAfter: null, revokedAt: null }),
    rec('receiver', 'RB1', { name: '株式会社みなと自動車', batchUserId: 'IK1', status: 'active', passwordVersion: 2 }),
    rec('receiver', 'RNEW', { name: '新規登録商会', batchUserId: 'IK2', status: 'pending', passwordVersion: 0 }),
    ...Array.from({ length: screenApps }, (_, i) => rec('application', appReceipt(i), { ...ready, office: OFFICE, procedureType: 'RENEW', channel: 'screen', receiverId: null })),
    ...Array.from({ length: batchApps }, (_, i) => rec('application', batchReceipt(i), { ...ready, office: OFFICE, procedureType: 'NEW', channel: 'batch', receiverId: 'RB1' })),
  ];
}

export const appReceipt = (i: number) => `2026112743010${String(i).padStart(4, '0')}`;
export const batchReceipt = (i: number) => `2026112743019${String(i).padStart(4, '0')}`;

export function codes(key: SigningKey) {
  const iat = Math.floor(Date.now() / 1000) - 60;
  return {
    app: (i: number) => mintKq1({ typ: 'APP', iat, jti: `app-${i}`, rcpt: appReceipt(i), off: OFFICE, proc: 'RENEW' }, key),
    auth: () => mintKq1({ typ: 'AUTH', iat, jti: 'auth-1', rid: 'RB1', proc: 'NEW', pwv: 2 }, key),
    reg: () => mintKq1({ typ: 'REG', iat, jti: 'reg-1', rid: 'RNEW', name: '新規登録商会', bid: 'IK2' }, key),
    pwd: (pwv: number) => mintKq1({ typ: 'PWD', iat, jti: `pwd-${pwv}`, rid: 'RB1', name: '株式会社みなと自動車', pwv }, key),
  };
}

export interface TestDaemon {
  daemon: Daemon;
  key: SigningKey;
  dataDir: string;
  codes: ReturnType<typeof codes>;
  kiosk(): Promise<Socket & { verdicts: VerdictEvent[] }>;
  signIn(staffId?: string, pin?: string): Promise<string>;
  staff(token: string): Promise<Socket>;
  stop(): Promise<void>;
}

export async function startTestDaemon(env: Record<string, string> = {}, options: DaemonOptions & { feed?: { screenApps?: number; batchApps?: number } } = {}): Promise<TestDaemon> {
  const tmp = tempDir('kiosk-e2e-');
  const key = generateSigningKey('e2e-key');
  const seed = Cache.open(tmp.dir, DAEMON_MIGRATIONS);
  await importFeed(seed.db, seed.applier, Readable.from([ndjson(testFeed(key, options.feed))]));
  seed.close();
  const config = loadConfig({ KIOSK_DATA_DIR: tmp.dir, KIOSK_PORT: '0', KIOSK_UPSTREAM: 'none', KIOSK_PRINTER: 'none', KIOSK_LOG_LEVEL: 'silent', KIOSK_DEVICE_ID: 'kiosk-1', ...env });
  const daemon = await Daemon.start(config, options);
  await daemon.ctx.staff.add('s1', '窓口 太郎', STAFF_PIN);
  const sockets: Socket[] = [];
  const open = async (ns: string, auth?: object) => {
    const socket = connect(daemon.url + ns, { transports: ['websocket'], reconnection: false, ...(auth ? { auth } : {}) });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  };
  return {
    daemon,
    key,
    dataDir: tmp.dir,
    codes: codes(key),
    async kiosk() {
      const socket = (await open('/kiosk')) as Socket & { verdicts: VerdictEvent[] };
      socket.verdicts = [];
      socket.on('verdict', (e: VerdictEvent) => socket.verdicts.push(e));
      return socket;
    },
    async signIn(staffId = 's1', pin = STAFF_PIN) {
      const res = await fetch(`${daemon.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffId, pin }) });
      if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
      return ((await res.json()) as { token: string }).token;
    },
    staff: (token) => open('/staff', { token }),
    async stop() {
      for (const s of sockets) s.disconnect();
      await daemon.stop();
      tmp.cleanup();
    },
  };
}

/** Emit with an acknowledgement, failing after a timeout instead of hanging. */
export function request<T>(socket: Socket, event: string, payload: unknown, ms = 5000): Promise<T> {
  return socket.timeout(ms).emitWithAck(event, payload) as Promise<T>;
}

export async function until<T>(get: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
