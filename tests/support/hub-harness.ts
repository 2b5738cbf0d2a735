// The reference hub under test, on either engine: a fresh SQLite directory or a fresh PostgreSQL
// database per test (one server per test file, started here), hubs in this process on 127.0.0.1
// port 0, hub processes and `kiosk` commands as real child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { pino } from 'pino';
import type { ChangeRecord } from '../../protocol/feed-records.js';
import { openHubStore, startHub, type HubStore, type RunningHub, type StartHubOptions } from '../../sync/hub/index.js';
import type { ThrottleOptions } from '../../sync/hub/auth-throttle.js';
import { tempDir } from './fixtures.js';
import { startPostgres, type TestPostgres } from './postgres.js';

export type EngineName = 'sqlite' | 'postgres';
export const ENGINES: EngineName[] = ['sqlite', 'postgres'];

export const CLI = new URL('../../bin/kiosk.js', import.meta.url).pathname;

/** Where one hub keeps its data, and how a child process is pointed at it. */
export interface HubStorage {
  engine: EngineName;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Environment for a `kiosk hub …` child: DATABASE_URL on PostgreSQL. */
  env: Record<string, string>;
  /** Arguments for a `kiosk hub …` child: --data DIR. */
  args: string[];
}

export interface TestHub {
  url: string;
  store: HubStore;
  storage: HubStorage;
  stop(): Promise<void>;
}

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Register the hooks for one engine inside a describe(); returns the helpers the tests use. */
export function useHubEngine(engine: EngineName) {
  let server: TestPostgres | null = null;
  let unavailable: Error | null = null;
  const cleanups: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    // No server is a failure of every PostgreSQL test, each with the one line saying why (a
    // failing beforeAll would only mark them skipped).
    if (engine === 'postgres') server = await startPostgres().catch((e: Error) => ((unavailable = new Error(e.message)), null));
  }, 60_000);
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function storage(): Promise<HubStorage> {
    if (unavailable) throw unavailable;
    const tmp = tempDir('kiosk-hub-');
    cleanups.push(tmp.cleanup);
    const databaseUrl = server ? await server.createDatabase() : undefined;
    return { engine, dataDir: tmp.dir, databaseUrl, env: databaseUrl ? { DATABASE_URL: databaseUrl } : {}, args: ['--data', tmp.dir] };
  }

  async function open(s: HubStorage): Promise<HubStore> {
    const store = await openHubStore({ dataDir: s.dataDir, databaseUrl: s.databaseUrl });
    cleanups.push(() => store.close());
    return store;
  }

  async function hub(options: { storage?: HubStorage; throttle?: ThrottleOptions; maxBodyBytes?: number; timeouts?: StartHubOptions['timeouts'] } = {}): Promise<TestHub> {
    const s = options.storage ?? (await storage());
    const store = await open(s);
    const running: RunningHub = await startHub({ store, port: 0, logger: pino({ level: 'silent' }), throttle: options.throttle, maxBodyBytes: options.maxBodyBytes, timeouts: options.timeouts });
    cleanups.push(() => running.stop());
    return { url: running.url, store, storage: s, stop: () => running.stop() };
  }

  /** `kiosk ARGS` as a child process against this storage (hub subcommands get --data / DATABASE_URL). */
  function kiosk(s: HubStorage, args: string[], input?: string): Promise<CommandResult> {
    const child = spawn(process.execPath, [CLI, ...args, ...s.args], { env: { ...process.env, ...s.env, KIOSK_LOG_LEVEL: 'silent' }, stdio: ['pipe', 'pipe', 'pipe'] });
    return collect(child, input);
  }

  /** `kiosk hub` as its own process on port 0; resolves once it listens. */
  async function hubProcess(s: HubStorage, extraArgs: string[] = [], env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess; stop(): Promise<CommandResult> }> {
    const child = spawn(process.execPath, [CLI, 'hub', ...s.args, '--port', '0', ...extraArgs], { env: { ...process.env, ...s.env, KIOSK_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const done = collect(child);
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /hub listening on (http:\/\/\S+)/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`kiosk hub exited with ${code}: ${err}`)));
    });
    const stop = async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return done;
    };
    cleanups.push(async () => void (await stop()));
    return { url, child, stop };
  }

  return { storage, open, hub, kiosk, hubProcess };
}

export function collect(child: ChildProcess, input?: string): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  if (child.stdin) child.stdin.end(input ?? '');
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** One HTTP request to a hub, answered as JSON. */
export async function call<T = Record<string, unknown>>(url: string, path: string, init: { token?: string | null; method?: string; body?: string | object; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers['authorization'] = `Bearer ${init.token}`;
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as T, headers: res.headers };
}

// ------------------------------------------------------------------ records

export const rec = {
  office: (code: string, ja = `${code}事務所`): ChangeRecord => ({ seq: 0, entity: 'office', id: code, op: 'upsert', data: { name: { ja, en: `Office ${code}` } } }),
  procedureType: (code: string): ChangeRecord => ({ seq: 0, entity: 'procedureType', id: code, op: 'upsert', data: { name: { ja: `手続 ${code}`, en: `Procedure ${code}` } } }),
  receiver: (id: string, passwordVersion = 1, status: 'pending' | 'active' | 'suspended' | 'deleted' = 'active'): ChangeRecord => ({
    seq: 0,
    entity: 'receiver',
    id,
    op: 'upsert',
    data: { name: `受取者 ${id}`, batchUserId: `B-${id}`, status, passwordVersion },
  }),
  app: (receipt: string, office: string, more: Partial<{ status: 'ready' | 'collected' | 'reviewing' | 'withdrawn'; receiverId: string | null; channel: 'screen' | 'batch' }> = {}): ChangeRecord => ({
    seq: 0,
    entity: 'application',
    id: receipt,
    op: 'upsert',
    data: {
      office,
      procedureType: 'RENEW',
      channel: more.channel ?? (more.receiverId ? 'batch' : 'screen'),
      receiverId: more.receiverId ?? null,
      status: more.status ?? 'ready',
      feesPaid: true,
      individualCodeIssued: false,
      deliverables: ['certificate', 'sticker'],
      vehicle: { registration: '熊本 580 あ 12-34' },
      reviewCompletedAt: '2026-11-20T00:00:00Z',
    },
  }),
  remove: (entity: ChangeRecord['entity'], id: string): ChangeRecord => ({ seq: 0, entity, id, op: 'delete' }),
  meta: (asOf: string): ChangeRecord => ({ seq: 0, entity: 'meta', id: 'feed', op: 'upsert', data: { asOf } }),
};

/** A 17-digit receipt number for office `office` and index `i`. */
export const receipt = (office: string, i: number) => `20261127${office.padStart(4, '0')}${String(i).padStart(5, '0')}`;

export const ndjsonOf = (records: readonly object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
