// A stand-in for the daemon's HTTP + Socket.IO surface, for developing screens before (or apart
// from) the real controller. It speaks the wire types of protocol/, serves dist/kiosk-ui and lets a
// test push any KioskState / CounterState. The end-to-end tests use the real Daemon instead.
import express from 'express';
import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import type { CounterState, KioskState, VerdictEvent, CalledTicket } from '../../protocol/events.js';
import type { Verdict } from '../../protocol/verdict.js';

export const UI_DIR = fileURLToPath(new URL('../../dist/kiosk-ui/', import.meta.url));

export function baseState(over: Partial<KioskState> = {}): KioskState {
  const now = new Date().toISOString();
  return {
    deviceId: 'kiosk-1',
    office: { code: '4301', name: { ja: '熊本事務所', en: 'Kumamoto Office' }, timeZone: 'Asia/Tokyo' },
    mode: 'kiosk',
    demo: true,
    upstream: { state: 'online', since: now, lastSyncAt: now, lastError: null, clockSkewSeconds: 0, outboxDepth: 0 },
    cache: { asOf: now, ageSeconds: 0, stale: false },
    devices: [],
    printer: { configured: true, online: true, paperEnd: false, paperNearEnd: false, coverOpen: false, pendingJobs: 0 },
    queue: { waiting: 3, estimatedWaitMinutes: 9, capReached: false, recentlyCalled: [] },
    hours: { open: true, opensAt: null, closesAt: null },
    counters: ['1', '2', '3'],
    display: { chime: true, voice: true },
    alerts: [],
    ...over,
  };
}

export interface FakeDaemon {
  url: string;
  state: KioskState;
  counter: CounterState;
  setState(s: Partial<KioskState>): void;
  setCounter(c: CounterState): void;
  called(c: CalledTicket): void;
  /** Answer for the next /kiosk scans: text → verdict event (or a refusal). */
  answer: (text: string) => VerdictEvent | { ok: false; error: { code: string; message: string } };
  /** Drop every connection and refuse new ones until `up()` (the daemon, as a screen sees it, gone; clients keep retrying). */
  down(): void;
  up(): void;
  /** Answer for /staff actions other than call-next and handover: event name and payload → ack. */
  staffAnswer: (event: string, payload: Record<string, unknown>) => unknown;
  /** Every /staff action received, in order. */
  staffRequests: { event: string; payload: Record<string, unknown> }[];
  stop(): Promise<void>;
}

export function verdictOf(over: Partial<Verdict>): Verdict {
  return {
    outcome: 'rejected', reason: 'MALFORMED', codeType: null, jti: null, receiver: null, applications: [], excluded: [],
    basis: { asOf: null, ageSeconds: null }, message: { ja: 'このコードは読み取れません。', en: 'This code cannot be read.' }, ...over,
  };
}

export async function startFakeDaemon(): Promise<FakeDaemon> {
  if (!existsSync(UI_DIR)) throw new Error('build the UI first: npx vite build --config kiosk-ui/vite.config.ts');
  const app = express();
  app.use(express.json());
  app.get('/api/demo/codes', (_req, res) => void res.json([{ label: 'APP 受取可', text: 'KQ1DEMOAPP', png: '' }]));
  app.post('/api/staff/session', (req, res) => {
    const b = req.body as { staffId?: string; pin?: string };
    if (b.pin === '9999') return void res.status(429).json({ error: { code: 'LOCKED', message: 'locked' } });
    if (b.pin !== '123456') return void res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'wrong' } });
    res.json({ token: 'tok', expiresAt: new Date(Date.now() + 3600_000).toISOString() });
  });
  app.use(express.static(UI_DIR));
  app.use((_req, res) => res.sendFile('index.html', { root: UI_DIR }));
  const http: HttpServer = createServer(app);
  const io = new Server(http);
  let kioskDown = false;
  const fake: FakeDaemon = {
    url: '',
    state: baseState(),
    counter: { queue: [], conflicts: [], outboxDepth: 0 },
    setState(s) {
      fake.state = { ...fake.state, ...s };
      io.of('/kiosk').emit('state', fake.state);
      io.of('/staff').emit('state', fake.state);
    },
    setCounter(c) {
      fake.counter = c;
      io.of('/staff').emit('counter-state', c);
    },
    called(c) {
      io.of('/kiosk').emit('called', c);
    },
    answer: (text) => ({
      scanId: `s-${Date.now()}`, deviceId: fake.state.deviceId, source: 'typed', receivedAt: new Date().toISOString(),
      verdict: verdictOf({ message: { ja: `不明なコード ${text.slice(0, 8)}`, en: 'Unknown code' } }), ticket: null,
    }),
    down() {
      kioskDown = true;
      for (const c of Object.values(engineClients())) c.close();
    },
    up() {
      kioskDown = false;
    },
    staffAnswer: () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no answer set' } }),
    staffRequests: [],
    stop: () => new Promise<void>((r) => { void io.close(); http.close(() => r()); http.closeAllConnections(); }),
  };
  // Closing the transport (not a namespace refusal) is what a stopped daemon looks like: clients retry.
  const engineClients = () => (io.engine as unknown as { clients: Record<string, { close(): void }> }).clients;
  io.engine.on('connection', (raw: { close(): void }) => {
    if (kioskDown) raw.close();
  });
  io.of('/kiosk').on('connection', (s) => {
    s.emit('state', fake.state);
    s.on('scan', (p: { text: string }, ack: (e: unknown) => void) => ack(fake.answer(p.text)));
  });
  io.of('/staff').use((s, next) => next((s.handshake.auth as { token?: string }).token === 'tok' ? undefined : new Error('UNAUTHORIZED')));
  io.of('/staff').on('connection', (s) => {
    s.emit('state', fake.state);
    s.emit('counter-state', fake.counter);
    s.onAny((event: string, payload: Record<string, unknown>, ack: unknown) => {
      if (typeof ack !== 'function') return;
      fake.staffRequests.push({ event, payload });
      if (event === 'call-next') return void ack({ ticket: fake.counter.queue.find((t) => t.status === 'waiting') ?? null });
      if (event === 'handover') return void ack({ ok: true });
      ack(fake.staffAnswer(event, payload));
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  fake.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return fake;
}
