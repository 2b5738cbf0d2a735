// The hub's HTTP surface on both engines, as a hostile LAN sees it: tokens on every route, office
// binding, throttled failures, bad bodies and queries refused cleanly with nothing stored, and
// hubTime on every answer.
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { errorBody, MAX_EVENTS_PER_BATCH } from '../protocol/sync.js';
import { call, ENGINES, rec, receipt, useHubEngine, type Answer, type TestHub } from './support/hub-harness.js';

// Child processes (kiosk commands, hub processes) start slowly on a loaded machine.
vi.setConfig({ testTimeout: 120_000 });

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const HEAD = { seq: 7, hash: 'a'.repeat(64) };

function expectError(r: Answer, status: number, code: string): void {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(errorBody.safeParse(r.body).success).toBe(true);
  expect((r.body as { error: { code: string } }).error.code).toBe(code);
  expect((r.body as { hubTime: string }).hubTime).toMatch(ISO);
}

const batch = (deviceId: string, office: string, events: object[] = []) => ({ deviceId, office, auditHead: HEAD, events });
const ticketEvent = () => ({ id: randomUUID(), type: 'ticket', at: new Date().toISOString(), deviceTime: new Date().toISOString(), data: { ticketId: 't1', number: 'A-001' } });

async function nothingStored(hub: TestHub, deviceId: string): Promise<void> {
  const events = [];
  for await (const e of hub.store.events()) events.push(e);
  expect(events).toEqual([]);
  expect(await hub.store.auditHead(deviceId)).toBeNull();
}

describe.each(ENGINES)('hub HTTP on %s', (engine) => {
  const h = useHubEngine(engine);

  it('answers every route 401 TOKEN_INVALID without a working token, with hubTime', async () => {
    const hub = await h.hub({ throttle: { maxFailures: 1000 } });
    const enrolled = await h.kiosk(hub.storage, ['hub', 'enroll', 'k1']);
    expect(enrolled.status).toBe(0);
    const token = enrolled.stdout.trim();
    expect(token).toMatch(/^kh1_[\w-]{43}$/);
    for (const path of ['/sync/v1/changes', '/sync/v1/events', '/sync/v1/audit-head', '/nowhere']) {
      const none = await call(hub.url, path);
      expectError(none, 401, 'TOKEN_INVALID');
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      expectError(await call(hub.url, path, { token: 'garbage' }), 401, 'TOKEN_INVALID');
      expectError(await call(hub.url, path, { token: `kh1_${'A'.repeat(43)}` }), 401, 'TOKEN_INVALID');
    }
    expect((await call(hub.url, '/sync/v1/changes', { token })).status).toBe(200);
    expectError(await call(hub.url, '/nowhere', { token }), 404, 'NOT_FOUND');

    const revoked = await h.kiosk(hub.storage, ['hub', 'revoke', 'k1']);
    expect([revoked.status, revoked.stderr.trim()]).toEqual([0, 'revoked the tokens of k1']);
    expectError(await call(hub.url, '/sync/v1/changes', { token }), 401, 'TOKEN_INVALID');
    expect((await h.kiosk(hub.storage, ['hub', 'revoke', 'k1'])).status).toBe(1);

    const again = (await h.kiosk(hub.storage, ['hub', 'enroll', 'k1'])).stdout.trim();
    const newer = (await h.kiosk(hub.storage, ['hub', 'enroll', 'k1'])).stdout.trim();
    expectError(await call(hub.url, '/sync/v1/changes', { token: again }), 401, 'TOKEN_INVALID'); // replaced by the newer one
    expect((await call(hub.url, '/sync/v1/changes', { token: newer })).status).toBe(200);
  });

  it('holds a token bound to an office to that office, and an events body to the token’s device', async () => {
    const hub = await h.hub();
    const token = (await h.kiosk(hub.storage, ['hub', 'enroll', 'k1', '--office', '4301'])).stdout.trim();
    expect((await call(hub.url, '/sync/v1/changes?office=4301', { token })).status).toBe(200);
    expectError(await call(hub.url, '/sync/v1/changes?office=4302', { token }), 403, 'OFFICE_FORBIDDEN');
    expectError(await call(hub.url, '/sync/v1/changes', { token }), 403, 'OFFICE_FORBIDDEN');
    expectError(await call(hub.url, '/sync/v1/events', { token, body: batch('k1', '4302', [ticketEvent()]) }), 403, 'OFFICE_FORBIDDEN');
    expectError(await call(hub.url, '/sync/v1/events', { token, body: batch('k2', '4301', [ticketEvent()]) }), 403, 'DEVICE_FORBIDDEN');
    await nothingStored(hub, 'k1');
    const ok = await call<{ results: Array<{ status: string }> }>(hub.url, '/sync/v1/events', { token, body: batch('k1', '4301', [ticketEvent()]) });
    expect(ok.body.results.map((r) => r.status)).toEqual(['applied']);
  });

  it('throttles failed authentication per source address with 429 and Retry-After', async () => {
    const hub = await h.hub({ throttle: { maxFailures: 3, windowMs: 60_000, blockMs: 1500 } });
    const token = await hub.store.enroll('k1', null);
    for (let i = 0; i < 3; i++) expectError(await call(hub.url, '/sync/v1/changes', { token: `kh1_${'B'.repeat(43)}` }), 401, 'TOKEN_INVALID');
    const blocked = await call(hub.url, '/sync/v1/changes', { token });
    expectError(blocked, 429, 'THROTTLED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await call(hub.url, '/sync/v1/changes', { token })).status).toBe(200);
  });

  it('refuses bad bodies cleanly, says nothing of its parser, and stores nothing', async () => {
    const hub = await h.hub();
    const token = await hub.store.enroll('k1', null);
    const post = (body: string | object, headers?: Record<string, string>) => call(hub.url, '/sync/v1/events', { token, body, headers });

    const notJson = await post('{"deviceId": "k1", "events": [', {});
    expectError(notJson, 400, 'BAD_REQUEST');
    expect(JSON.stringify(notJson.body)).not.toMatch(/Unexpected|position|token|SyntaxError|at /);
    expectError(await post('not json at all', { 'content-type': 'text/plain' }), 400, 'BAD_REQUEST');
    expectError(await post('"a string"'), 400, 'BAD_REQUEST');

    const huge = JSON.stringify(batch('k1', '4301', [{ ...ticketEvent(), data: { pad: 'x'.repeat(1_200_000) } }]));
    expectError(await post(huge), 413, 'TOO_LARGE');

    const wrong: Array<[object, RegExp]> = [
      [{ ...batch('k1', '4301'), events: 'none' }, /^events: /],
      [batch('k1', '4301', [{ ...ticketEvent(), id: 'not-a-uuid' }]), /^events\.0\.id: /],
      [batch('k1', '4301', [{ ...ticketEvent(), at: 'yesterday' }]), /^events\.0\.at: /],
      [batch('k1', '4301', [{ ...ticketEvent(), type: 'lunch' }]), /^events\.0\.type: /],
      [{ ...batch('k1', '4301', [ticketEvent()]), auditHead: { seq: -1, hash: 'x' } }, /^auditHead\.seq: /],
      [batch('k1', '4301', Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, ticketEvent)), /^events: /],
    ];
    for (const [body, message] of wrong) {
      const r = await post(body);
      expectError(r, 400, 'BAD_REQUEST');
      expect((r.body as { error: { message: string } }).error.message).toMatch(message);
    }
    await nothingStored(hub, 'k1');
  });

  it('refuses bad queries by name and clamps limit and wait', async () => {
    const hub = await h.hub();
    const token = await hub.store.enroll('k1', null);
    await hub.store.publish([rec.office('4301'), rec.app(receipt('4301', 1), '4301')]);
    for (const [query, name] of [
      ['since=-1', 'since'],
      ['limit=abc', 'limit'],
      ['limit=0', 'limit'],
      ['office=no%20such', 'office'],
      ['wait=soon', 'wait'],
    ]) {
      const r = await call(hub.url, `/sync/v1/changes?${query}`, { token });
      expectError(r, 400, 'BAD_REQUEST');
      expect((r.body as { error: { message: string } }).error.message).toMatch(new RegExp(`^query ${name}: `));
    }
    const big = await call<{ changes: unknown[] }>(hub.url, '/sync/v1/changes?limit=99999999', { token });
    expect(big.body.changes).toHaveLength(3);
  });

  it('cuts off a client that trickles its headers or never finishes its body', async () => {
    const hub = await h.hub({ timeouts: { headersMs: 1000, requestMs: 1500 } });
    const token = await hub.store.enroll('k1', null);
    const { hostname, port } = new URL(hub.url);
    const trickle = (headers: Record<string, string>, sendHeaders: boolean) =>
      new Promise<string>((resolve) => {
        const req = request({ host: hostname, port, method: 'POST', path: '/sync/v1/events', headers: { 'content-length': '100', ...headers } });
        req.on('error', (e) => resolve(`closed: ${e.message}`));
        req.on('response', (res) => resolve(`answered ${res.statusCode}`));
        if (sendHeaders) req.flushHeaders();
        req.write('{'); // and never the rest
        setTimeout(() => resolve('still open'), 15_000).unref();
      });
    expect(await trickle({ authorization: `Bearer ${token}` }, true)).toBe('answered 408');
    const headersCut = await new Promise<string>((resolve) => {
      let got = '';
      const socket = connect(Number(port), hostname, () => socket.write(`POST /sync/v1/events HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer ${token}\r\n`));
      socket.on('data', (d) => (got += d.toString()));
      socket.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
      setTimeout(() => resolve('still open'), 15_000).unref();
    });
    expect(headersCut).toBe('HTTP/1.1 408 Request Timeout');
    await nothingStored(hub, 'k1');
  });
});
