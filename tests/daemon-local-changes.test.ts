// What the office did (pickups, registrations, password changes) against what the feed says later:
// a pickup is a fact and stays; a receiver change holds only until the upstream has answered for it.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFeed } from '../daemon/store/feed-import.js';
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
