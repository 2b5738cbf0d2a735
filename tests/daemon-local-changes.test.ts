// What the office did (pickups, registrations, password changes) against what the feed says later:
// a pickup is a fact and stays; a receiver change holds until the upstream has answered for it, or
// until a newer feed record suspends or deletes the receiver.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFeed } from '../daemon/store/feed-import.js';
import { mintKq1 } from '../sync/issuing/kq1-issuer.js';
import { ndjson } from './support/fixtures.js';
import { appReceipt, request, startTestDaemon, type TestDaemon } from './support/daemon-harness.js';

describe('local changes and later feed records', () => {
  let t: TestDaemon;
  let staff: Awaited<ReturnType<TestDaemon['staff']>>;
  const feed = (records: object[]) => importFeed(t.daemon.ctx.cache.db, t.daemon.ctx.cache.applier, Readable.from([ndjson(records)]));
  const receiver = (seq: number, status: string, passwordVersion: number) => ({
    seq, entity: 'receiver', id: 'RNEW', op: 'upsert', data: { name: '新規登録商会', batchUserId: 'IK2', status, passwordVersion },
  });

  beforeAll(async () => {
    t = await startTestDaemon();
    staff = await t.staff(await t.signIn());
  });
  afterAll(() => t.stop());

  it('a handed-over application stays collected whatever an older or newer feed record says', async () => {
    expect(await request(staff, 'handover', { id: randomUUID(), receiptNumber: appReceipt(5) })).toEqual({ ok: true });
    await feed([{ seq: 900, entity: 'application', id: appReceipt(5), op: 'upsert', data: { office: '4301', procedureType: 'RENEW', channel: 'screen', status: 'ready', feesPaid: true } }]);
    expect(t.daemon.ctx.cache.view.application(appReceipt(5))?.status).toBe('collected');
  });

  it('a registration holds while its event is unsent, and yields to the feed once the hub has answered', async () => {
    const ack = await request<{ ok: boolean }>(staff, 'register-receiver', { id: randomUUID(), text: t.codes.reg() });
    expect(ack.ok).toBe(true);
    await feed([receiver(901, 'pending', 0)]); // published before our registration reached the hub
    expect(t.daemon.ctx.cache.view.receiver('RNEW')?.status).toBe('active');

    const event = t.daemon.ctx.outbox.pending(100).find((e) => e.type === 'registration')!;
    t.daemon.ctx.outbox.recordAnswers([{ id: event.id, status: 'applied' }]);
    await feed([receiver(902, 'suspended', 0)]); // suspended upstream afterwards
    expect(t.daemon.ctx.cache.view.receiver('RNEW')?.status).toBe('suspended');
  });

  it('a password change holds its version over an older feed record until answered', async () => {
    await feed([{ seq: 903, entity: 'receiver', id: 'RB1', op: 'upsert', data: { name: '株式会社みなと自動車', status: 'active', passwordVersion: 2 } }]);
    expect((await request<{ ok: boolean }>(staff, 'apply-password-change', { id: randomUUID(), text: t.codes.pwd(3) })).ok).toBe(true);
    await feed([{ seq: 904, entity: 'receiver', id: 'RB1', op: 'upsert', data: { name: '株式会社みなと自動車', status: 'active', passwordVersion: 2 } }]);
    expect(t.daemon.ctx.cache.view.receiver('RB1')?.passwordVersion).toBe(3);
    // The AUTH code printed under the old password is dead here at once (15.2(4)).
    const v = await request<{ verdict: { reason: string } }>(staff, 'scan', { id: randomUUID(), text: t.codes.auth() });
    expect(v.verdict.reason).toBe('PASSWORD_CHANGED');
  });
});

// Issue 12.8: a registration made here must not outlive a later decision upstream. Standalone
// (KIOSK_UPSTREAM=none): the registration's event is never answered, so only the feed can end it.
describe('a later feed record against a registration made here', () => {
  let t: TestDaemon;
  let staff: Awaited<ReturnType<TestDaemon['staff']>>;
  const iat = Math.floor(Date.now() / 1000) - 60;
  const feed = (records: object[]) => importFeed(t.daemon.ctx.cache.db, t.daemon.ctx.cache.applier, Readable.from([ndjson(records)]));
  const rsus = (seq: number, status: string, passwordVersion = 1) => ({ seq, entity: 'receiver', id: 'RSUS', op: 'upsert', data: { name: 'みどり商会', batchUserId: 'IK7', status, passwordVersion } });
  const auth = () => request<{ verdict: { outcome: string; reason: string | null } }>(staff, 'scan', { id: randomUUID(), text: mintKq1({ typ: 'AUTH', iat, jti: randomUUID(), rid: 'RSUS', proc: 'NEW', pwv: 1 }, t.key) });
  const status = () => t.daemon.ctx.cache.view.receiver('RSUS')?.status;

  beforeAll(async () => {
    t = await startTestDaemon();
    staff = await t.staff(await t.signIn());
    await feed([
      rsus(800, 'suspended'),
      { seq: 801, entity: 'application', id: '20261127430170001', op: 'upsert', data: { office: '4301', procedureType: 'NEW', channel: 'batch', receiverId: 'RSUS', status: 'ready', feesPaid: true } },
    ]);
    const reg = mintKq1({ typ: 'REG', iat, jti: 'reg-rsus', rid: 'RSUS', name: 'みどり商会', bid: 'IK7' }, t.key);
    expect(await request(staff, 'register-receiver', { id: randomUUID(), text: reg })).toMatchObject({ ok: true });
  });
  afterAll(() => t.stop());

  it('records the kiosk had seen when staff registered (sent again) and a later "pending" do not undo it', async () => {
    await feed([rsus(800, 'suspended')]);
    expect(status()).toBe('active');
    await feed([rsus(810, 'pending')]); // the hub has not heard of the registration yet
    expect(status()).toBe('active');
    expect((await auth()).verdict.outcome).toBe('accepted');
  });

  it('a later suspension wins though the registration was never answered, and the receiver’s AUTH codes stop', async () => {
    expect(t.daemon.ctx.outbox.pending(100).some((e) => e.type === 'registration')).toBe(true);
    await feed([rsus(820, 'suspended')]);
    expect(status()).toBe('suspended');
    expect((await auth()).verdict).toMatchObject({ outcome: 'rejected', reason: 'RECEIVER_NOT_ACTIVE' });
  });

  it('a password version applied here never goes back, even under a later record', async () => {
    await feed([{ seq: 830, entity: 'receiver', id: 'RB1', op: 'upsert', data: { name: '株式会社みなと自動車', status: 'active', passwordVersion: 2 } }]);
    expect(await request(staff, 'apply-password-change', { id: randomUUID(), text: t.codes.pwd(3) })).toMatchObject({ ok: true });
    await feed([{ seq: 840, entity: 'receiver', id: 'RB1', op: 'upsert', data: { name: '株式会社みなと自動車', status: 'suspended', passwordVersion: 2 } }]);
    expect(t.daemon.ctx.cache.view.receiver('RB1')).toMatchObject({ status: 'suspended', passwordVersion: 3 });
  });
});
