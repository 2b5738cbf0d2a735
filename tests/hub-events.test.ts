// Events at the hub on both engines: applied, duplicate on retry, conflicts (collected at another
// device meanwhile, password changed before the scan), registrations and password changes reaching
// the feed, the audit head and the device clock, and two hub processes racing for one pickup.
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { call, ENGINES, rec, receipt, useHubEngine } from './support/hub-harness.js';

// Child processes (kiosk commands, hub processes) start slowly on a loaded machine.
vi.setConfig({ testTimeout: 120_000 });

const OFFICE = '4301';
const T0 = Date.parse('2026-12-01T01:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

interface Result {
  id: string;
  status: 'applied' | 'duplicate' | 'conflict';
  detail?: { code: string; message: string; [k: string]: unknown };
}

type EventInput = { id?: string; type: string; at?: string; deviceTime?: string; data: Record<string, unknown> };

function event(e: EventInput) {
  return { id: e.id ?? randomUUID(), type: e.type, at: e.at ?? at(0), deviceTime: e.deviceTime ?? new Date().toISOString(), data: e.data };
}

const pickup = (rcpt: string, more: Record<string, unknown> = {}) => ({ type: 'pickup', data: { receiptNumber: rcpt, office: OFFICE, ticketId: null, staffId: 's1', ...more } });

describe.each(ENGINES)('hub events on %s', (engine) => {
  const h = useHubEngine(engine);

  async function setUp() {
    const hub = await h.hub();
    await hub.store.publish([
      rec.office(OFFICE),
      rec.receiver('R1', 1),
      rec.receiver('RNEW', 0, 'pending'),
      rec.receiver('RSUS', 0, 'suspended'),
      ...Array.from({ length: 5 }, (_, i) => rec.app(receipt(OFFICE, i), OFFICE)),
      ...Array.from({ length: 3 }, (_, i) => rec.app(receipt(OFFICE, 100 + i), OFFICE, { receiverId: 'R1' })),
      rec.app(receipt('4302', 1), '4302'),
    ]);
    const tokens = { k1: await hub.store.enroll('k1', OFFICE), k2: await hub.store.enroll('k2', OFFICE) };
    const post = async (device: 'k1' | 'k2', events: EventInput[], auditHead: { seq: number; hash: string } | null = null) => {
      const body = { deviceId: device, office: OFFICE, auditHead, events: events.map(event) };
      const r = await call<{ hubTime: string; results: Result[] }>(hub.url, '/sync/v1/events', { token: tokens[device], body });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return { ...r.body, sent: body.events };
    };
    const feed = async (since: number) =>
      (await call<{ head: number; changes: Array<{ entity: string; id: string; data: Record<string, unknown> }> }>(hub.url, `/sync/v1/changes?since=${since}&office=${OFFICE}`, { token: tokens.k2 })).body;
    const head = (await feed(0)).head;
    return { hub, tokens, post, feed, head };
  }

  it('applies a pickup once: others of the office see it collected, a retry is a duplicate, a second pickup a conflict naming who and when', async () => {
    const { hub, post, feed, head } = await setUp();
    const first = await post('k1', [{ ...pickup(receipt(OFFICE, 0)), at: at(10) }]);
    expect(first.results).toEqual([{ id: first.sent[0]!.id, status: 'applied' }]);
    expect(Date.parse(first.hubTime)).toBeGreaterThan(Date.now() - 60_000);
    const seen = await feed(head);
    expect(seen.changes).toMatchObject([{ entity: 'application', id: receipt(OFFICE, 0), data: { status: 'collected', office: OFFICE } }]);

    const retry = await post('k1', first.sent);
    expect(retry.results).toEqual([{ id: first.sent[0]!.id, status: 'duplicate' }]);
    expect((await feed(seen.head)).changes).toEqual([]); // nothing published twice

    const second = await post('k2', [{ ...pickup(receipt(OFFICE, 0)), at: at(20) }]);
    expect(second.results[0]).toMatchObject({ status: 'conflict', detail: { code: 'ALREADY_COLLECTED', deviceId: 'k1', at: at(10) } });
    expect(second.results[0]!.detail!.message).toBe(`application ${receipt(OFFICE, 0)} was collected at device k1 at ${at(10)}`);
    // Retrying a conflict answers the conflict again, so a lost answer never hides it.
    expect((await post('k2', second.sent)).results).toEqual(second.results);

    const list = await h.kiosk(hub.storage, ['hub', 'events']);
    const lines = list.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; deviceId: string; status: string; type: string });
    expect(lines.map((l) => [l.deviceId, l.type, l.status])).toEqual([
      ['k1', 'pickup', 'applied'],
      ['k2', 'pickup', 'conflict'],
    ]);
    const conflicts = await h.kiosk(hub.storage, ['hub', 'events', '--status', 'conflict', '--device', 'k2']);
    expect(conflicts.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('refuses an AUTH pickup whose password was changed to a higher version before the scan, not after', async () => {
    const { hub, post, feed, head } = await setUp();
    // k2 applies a password change (version 2) at +100 s.
    const change = await post('k2', [{ type: 'password-change', at: at(100), data: { receiverId: 'R1', passwordVersion: 2, jti: 'pwd-2', staffId: 's1' } }]);
    expect(change.results[0]!.status).toBe('applied');
    expect((await feed(head)).changes).toMatchObject([{ entity: 'receiver', id: 'R1', data: { passwordVersion: 2, status: 'active' } }]);

    const auth = (i: number, s: number) => ({ ...pickup(receipt(OFFICE, 100 + i), { codeType: 'AUTH', receiverId: 'R1', passwordVersion: 1 }), at: at(s) });
    const r = await post('k1', [auth(0, 50), auth(1, 150)]);
    expect(r.results[0]!.status).toBe('applied'); // scanned before the change
    expect(r.results[1]).toMatchObject({ status: 'conflict', detail: { code: 'PASSWORD_CHANGED', codeVersion: 1, passwordVersion: 2, changedAt: at(100) } });

    // A version raised by the office system counts from when the hub got it.
    await hub.store.publish([rec.receiver('R1', 3)]);
    const later = await post('k1', [{ ...pickup(receipt(OFFICE, 102), { codeType: 'AUTH', receiverId: 'R1', passwordVersion: 2 }), at: new Date(Date.now() + 5000).toISOString() }]);
    expect(later.results[0]).toMatchObject({ status: 'conflict', detail: { code: 'PASSWORD_CHANGED', passwordVersion: 3 } });
    // A password change to a version the hub already has is a conflict too (changed meanwhile).
    const stale = await post('k1', [{ type: 'password-change', at: at(200), data: { receiverId: 'R1', passwordVersion: 3, jti: 'pwd-3' } }]);
    expect(stale.results[0]).toMatchObject({ status: 'conflict', detail: { code: 'PASSWORD_CHANGED', passwordVersion: 3 } });
  });

  it('registers a receiver (active, password version kept) unless suspended; unknowns and bad data are conflicts', async () => {
    const { post, feed, head } = await setUp();
    const r = await post('k1', [
      { type: 'registration', data: { receiverId: 'RNEW', name: '新規登録商会', batchUserId: 'IK2', jti: 'reg-1' } },
      { type: 'registration', data: { receiverId: 'RSUS', name: 'x', batchUserId: 'IK3', jti: 'reg-2' } },
      { type: 'registration', data: { receiverId: 'NOBODY', name: 'x', batchUserId: 'IK4', jti: 'reg-3' } },
      pickup(receipt(OFFICE, 999)),
      pickup(receipt('4302', 1)),
      { type: 'pickup', data: { office: OFFICE } },
      { type: 'ticket', data: { ticketId: 't1', number: 'A-001', items: [receipt(OFFICE, 1)] } },
      { type: 'rejected-scan', data: { reason: 'MALFORMED' } },
      { type: 'staff-action', data: { kind: 'call', staffId: 's1' } },
    ]);
    expect(r.results.map((x) => x.status === 'conflict' ? x.detail!.code : x.status)).toEqual([
      'applied',
      'RECEIVER_NOT_ACTIVE',
      'UNKNOWN_RECEIVER',
      'UNKNOWN_APPLICATION',
      'WRONG_OFFICE',
      'MALFORMED',
      'applied',
      'applied',
      'applied',
    ]);
    expect((await feed(head)).changes).toMatchObject([{ entity: 'receiver', id: 'RNEW', data: { status: 'active', passwordVersion: 0, name: '新規登録商会', batchUserId: 'IK2' } }]);
  });

  it('keeps each device’s latest audit head (never lowered) and its clock beside the hub’s', async () => {
    const { hub, tokens, post } = await setUp();
    expect((await call(hub.url, '/sync/v1/audit-head', { token: tokens.k1 })).status).toBe(404);
    const ahead = new Date(Date.now() + 5 * 60_000).toISOString(); // k1's clock runs five minutes fast
    await post('k1', [{ type: 'ticket', deviceTime: ahead, data: {} }], { seq: 10, hash: 'a'.repeat(64) });
    const got = await call<{ deviceId: string; seq: number; hash: string; at: string; hubTime: string }>(hub.url, '/sync/v1/audit-head', { token: tokens.k1 });
    expect(got.body).toMatchObject({ deviceId: 'k1', seq: 10, hash: 'a'.repeat(64) });
    expect(Date.parse(got.body.at)).toBeLessThanOrEqual(Date.parse(got.body.hubTime));
    await post('k1', [], { seq: 4, hash: 'b'.repeat(64) }); // a log cut short cannot lower it
    expect((await call(hub.url, '/sync/v1/audit-head', { token: tokens.k1 })).body).toMatchObject({ seq: 10, hash: 'a'.repeat(64) });
    await post('k1', [], { seq: 12, hash: 'c'.repeat(64) });
    expect((await call(hub.url, '/sync/v1/audit-head', { token: tokens.k1 })).body).toMatchObject({ seq: 12, hash: 'c'.repeat(64) });
    expect((await call(hub.url, '/sync/v1/audit-head', { token: tokens.k2 })).status).toBe(404);

    const devices = await hub.store.devices();
    const k1 = devices.find((d) => d.deviceId === 'k1')!;
    expect(k1.skewMs).toBeGreaterThan(4 * 60_000);
    expect(k1.skewMs).toBeLessThan(6 * 60_000);
    expect(k1).toMatchObject({ office: OFFICE, activeTokens: 1, deviceTime: ahead, auditHead: { seq: 12 } });
    const table = await h.kiosk(hub.storage, ['hub', 'devices']);
    expect(table.stdout).toMatch(/^device\s+office\s+token\s+last seen\s+clock skew\s+audit head\n/);
    expect(table.stdout).toMatch(/\nk1\s+4301\s+active\s+\S+\s+\+(29\d|30\d)\.\d s\s+12 cccccccccccc…\n/);
  });

  it('hands one application to one device when two hub processes take pickups for it at once', async () => {
    const { hub, tokens } = await setUp();
    const [a, b] = await Promise.all([h.hubProcess(hub.storage), h.hubProcess(hub.storage)]);
    for (let i = 0; i < 5; i++) {
      const send = (url: string, device: 'k1' | 'k2') =>
        call<{ results: Result[] }>(url, '/sync/v1/events', { token: tokens[device], body: { deviceId: device, office: OFFICE, auditHead: null, events: [event(pickup(receipt(OFFICE, i)))] } });
      const [ra, rb] = await Promise.all([send(a.url, 'k1'), send(b.url, 'k2')]);
      const statuses = [ra.body.results[0]!.status, rb.body.results[0]!.status].sort();
      expect(statuses, `${JSON.stringify(ra.body)} ${JSON.stringify(rb.body)}`).toEqual(['applied', 'conflict']);
    }
  });
});
