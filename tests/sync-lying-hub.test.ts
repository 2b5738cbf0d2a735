// A hub that misbehaves in ways the reference hub cannot be made to on demand: a page with a
// record that cannot be applied, HTTP 500, a body that is not JSON, an answer that stalls or is cut
// off, a batch answer that leaves events out, a batch refused because of one event. The kiosk (a
// real daemon process) never wedges, loses nothing, says what is wrong, and recovers.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskState } from '../protocol/events.js';
import { generateSigningKey } from '../sync/issuing/kq1-issuer.js';
import { until } from './support/daemon-harness.js';
import { kioskSocket, runCli, startDaemonProcess, type DaemonProcess } from './support/daemon-process.js';
import { tempDir } from './support/fixtures.js';
import { rec, receipt } from './support/hub-harness.js';
import { OFFICE, STAFF_PIN } from './support/sync-office.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A scripted hub: each request is answered by the current script. */
async function scriptedHub(): Promise<{ url: string; script: { changes: Handler; events: Handler }; requests: string[]; stop(): Promise<void> }> {
  const requests: string[] = [];
  const script = { changes: feedAnswer([]), events: answerAll('applied') };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      (req.url?.startsWith('/sync/v1/changes') ? script.changes : script.events)(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    script,
    requests,
    stop: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

/** A good feed: these records after `since`, answered at once (no long-poll wait kept). */
function feedAnswer(records: object[]): Handler {
  return (req, res) => {
    const since = Number(new URL(req.url!, 'http://x').searchParams.get('since'));
    const head = records.length;
    const changes = records.map((r, i) => ({ ...r, seq: i + 1 })).filter((r) => r.seq > since);
    setTimeout(() => json(res, 200, { feedId: 'lying-feed', asOf: new Date().toISOString(), hubTime: new Date().toISOString(), head, next: Math.max(since, head), more: false, changes }), changes.length ? 0 : 200);
  };
}

function answerAll(status: 'applied' | 'duplicate'): Handler {
  return (_req, res, body) => {
    const { events } = JSON.parse(body) as { events: { id: string }[] };
    json(res, 200, { hubTime: new Date().toISOString(), results: events.map((e) => ({ id: e.id, status })) });
  };
}

const key = generateSigningKey('lying-key');
const goodRecords = [
  rec.office(OFFICE),
  { seq: 0, entity: 'key', id: key.kid, op: 'upsert', data: { alg: 'Ed25519', publicKey: key.publicKeyBase64, notBefore: '2026-01-01T00:00:00Z', notAfter: null, revokedAt: null } },
  ...Array.from({ length: 10 }, (_, i) => rec.app(receipt(OFFICE, i), OFFICE)),
];

describe('a kiosk and a lying hub', () => {
  const stops: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  async function kioskOn(hubUrl: string): Promise<{ daemon: DaemonProcess; dataDir: string; state(): Promise<KioskState> }> {
    const tmp = tempDir('kiosk-lying-');
    const dataDir = join(tmp.dir, 'data');
    expect(runCli(['staff', 'add', 's1', '--name', '窓口', '--data', dataDir], { input: `${STAFF_PIN}\n` }).status).toBe(0);
    const daemon = await startDaemonProcess(dataDir, { KIOSK_UPSTREAM: hubUrl, KIOSK_UPSTREAM_TOKEN: 'any', KIOSK_DEVICE_ID: 'kiosk-1', KIOSK_OFFICE: OFFICE, KIOSK_MODE: 'counter' });
    stops.push(async () => {
      await daemon.stop();
      tmp.cleanup();
    });
    return { daemon, dataDir, state: async () => (await (await fetch(`${daemon.url}/api/state`)).json()) as KioskState };
  }
  const cursorOf = (dataDir: string) => (JSON.parse(runCli(['status', '--json', '--data', dataDir]).stdout) as { cursor: number }).cursor;

  it('a page with a record it cannot apply: the cursor stays, the error is shown, and it retries until the hub mends it', async () => {
    const hub = await scriptedHub();
    stops.push(() => hub.stop());
    hub.script.changes = feedAnswer(goodRecords);
    const k = await kioskOn(hub.url);
    await until(async () => (await k.state()).cache.asOf !== null, 'the first sync');
    expect(cursorOf(k.dataDir)).toBe(goodRecords.length);

    // Record 13 names an application status the protocol does not have.
    const bad = { seq: 0, entity: 'application', id: receipt(OFFICE, 77), op: 'upsert', data: { ...(rec.app(receipt(OFFICE, 77), OFFICE) as { data: object }).data, status: 'lost_in_the_post' } };
    hub.script.changes = feedAnswer([...goodRecords, bad]);
    const shown = await until(async () => {
      const s = await k.state();
      return s.upstream.lastError?.includes('seq 13') && s;
    }, 'the error on screen', 20_000);
    expect(shown.upstream.lastError).toMatch(/record seq 13: application .*: data\.status/);
    expect(cursorOf(k.dataDir)).toBe(goodRecords.length);
    const asked = hub.requests.length;
    await until(() => hub.requests.length > asked, 'a retry', 10_000);

    hub.script.changes = feedAnswer([...goodRecords, rec.app(receipt(OFFICE, 77), OFFICE)]);
    await until(async () => (await k.state()).upstream.lastError === null, 'recovery', 40_000);
    expect(cursorOf(k.dataDir)).toBe(goodRecords.length + 1);
  }, 90_000);

  it.each([
    ['HTTP 500', ((_req, res) => json(res, 500, { error: { code: 'INTERNAL', message: 'boom' } })) as Handler, /the hub failed \(INTERNAL: boom\)/],
    ['a body that is not JSON', ((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy error</html>')) as Handler, /not JSON/],
    ['an answer cut off halfway', ((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
      res.write('{"feedId":"lying-feed","asOf":"2026-');
      setTimeout(() => res.socket?.destroy(), 50);
    }) as Handler, /cannot reach the hub|not JSON/],
  ])('%s on the feed and on events: offline with the reason, scans and handovers go on, nothing lost, and it recovers', async (_what, fault, message) => {
    const hub = await scriptedHub();
    stops.push(() => hub.stop());
    hub.script.changes = feedAnswer(goodRecords);
    const k = await kioskOn(hub.url);
    await until(async () => (await k.state()).cache.asOf !== null, 'the first sync');

    hub.script.changes = fault;
    hub.script.events = fault;
    const state = await until(async () => {
      const s = await k.state();
      return s.upstream.lastError !== null && s;
    }, 'the fault to show', 40_000);
    expect(state.upstream.lastError).toMatch(message);
    // Handovers go on and wait in the outbox.
    const { io } = await import('socket.io-client');
    const session = (await (await fetch(`${k.daemon.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffId: 's1', pin: STAFF_PIN }) })).json()) as { token: string };
    const staff = io(`${k.daemon.url}/staff`, { transports: ['websocket'], reconnection: false, auth: { token: session.token } });
    const ack = (await staff.timeout(10_000).emitWithAck('handover', { id: randomUUID(), receiptNumber: receipt(OFFICE, 2) })) as { ok: boolean };
    staff.disconnect();
    expect(ack.ok).toBe(true);
    await until(async () => (await k.state()).upstream.outboxDepth === 1, 'the pickup in the outbox');

    hub.script.changes = feedAnswer(goodRecords);
    hub.script.events = answerAll('applied');
    await until(async () => {
      const s = await k.state();
      return s.upstream.state === 'online' && s.upstream.outboxDepth === 0 && s.upstream.lastError === null;
    }, 'recovery', 60_000);
  }, 120_000);

  it('a stalled answer is cut off at its deadline and the kiosk stays responsive meanwhile', async () => {
    const hub = await scriptedHub();
    stops.push(() => hub.stop());
    hub.script.changes = feedAnswer(goodRecords);
    const k = await kioskOn(hub.url);
    await until(async () => (await k.state()).cache.asOf !== null, 'the first sync');
    // Headers, then nothing: a hub (or proxy) that hangs mid-answer.
    hub.script.events = (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).write('{"hubTime":');
    const kiosk = await kioskSocket(k.daemon.url);
    stops.push(async () => kiosk.disconnect());
    const t0 = Date.now();
    const verdict = (await kiosk.timeout(5000).emitWithAck('scan', { text: 'garbage', source: 'typed' })) as { verdict: { reason: string } };
    expect(verdict.verdict.reason).toBe('MALFORMED'); // a rejected scan goes to the outbox, whose send now hangs
    expect(Date.now() - t0).toBeLessThan(5000);
    const state = await until(async () => {
      const s = await k.state();
      return s.upstream.lastError?.includes('no complete answer') && s;
    }, 'the deadline', 90_000);
    expect(state.upstream.outboxDepth).toBe(1);
  }, 150_000);

  it('events the answer leaves out stay queued; an event refused alone is set aside for staff, the rest go through', async () => {
    const hub = await scriptedHub();
    stops.push(() => hub.stop());
    hub.script.changes = feedAnswer(goodRecords);
    const k = await kioskOn(hub.url);
    await until(async () => (await k.state()).cache.asOf !== null, 'the first sync');
    let poison: string | null = null;
    hub.script.events = (_req, res, body) => {
      const { events } = JSON.parse(body) as { events: { id: string; type: string; data: { receiptNumber?: string } }[] };
      const bad = events.find((e) => e.data.receiptNumber === receipt(OFFICE, 5));
      if (bad) {
        poison = bad.id;
        return json(res, 400, { error: { code: 'BAD_REQUEST', message: `events.${events.indexOf(bad)}: not acceptable` } });
      }
      // Answer for all but the last event: it must stay queued.
      json(res, 200, { hubTime: new Date().toISOString(), results: events.slice(0, -1).map((e) => ({ id: e.id, status: 'applied' })) });
    };
    const session = (await (await fetch(`${k.daemon.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffId: 's1', pin: STAFF_PIN }) })).json()) as { token: string };
    const { io } = await import('socket.io-client');
    const staff = io(`${k.daemon.url}/staff`, { transports: ['websocket'], reconnection: false, auth: { token: session.token } });
    stops.push(async () => staff.disconnect());
    for (const i of [4, 5, 6]) expect(((await staff.timeout(10_000).emitWithAck('handover', { id: randomUUID(), receiptNumber: receipt(OFFICE, i) })) as { ok: boolean }).ok).toBe(true);
    const counter = await until(async () => {
      const states: { conflicts: { id: string; detail: unknown }[]; outboxDepth: number }[] = [];
      staff.once('counter-state', (c: { conflicts: { id: string; detail: unknown }[]; outboxDepth: number }) => states.push(c));
      await new Promise((r) => setTimeout(r, 300));
      return states[0]?.conflicts.length === 1 && states[0];
    }, 'the refused event shown to staff', 40_000);
    expect(counter.conflicts[0]).toMatchObject({ id: poison, detail: { refusedByHub: expect.stringMatching(/not acceptable/) } });
    // The last event of each answered batch was left out: it is still queued, not lost.
    expect(counter.outboxDepth).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
