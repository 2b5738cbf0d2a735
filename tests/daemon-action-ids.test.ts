// A staff action id is bound to what it was first used for: the same request again gets the first
// answer and acts once; the id reused for anything else is refused, never answered with another
// request's result. Stored answers hold no receiver names whole, and old ones are pruned.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_RESULT_RETENTION_MS } from '../daemon/counter/idempotency.js';
import { appReceipt, request, startTestDaemon, type TestDaemon } from './support/daemon-harness.js';

type Ack = { ok?: boolean; error?: { code: string; message: string }; application?: unknown };

describe('staff action ids', () => {
  let t: TestDaemon;
  beforeEach(async () => {
    t = await startTestDaemon();
    await t.daemon.ctx.staff.add('s2', '窓口 次郎', '135792');
  });
  afterEach(() => t.stop());

  const status = (receipt: string) => t.daemon.ctx.cache.view.application(receipt)?.status;

  it('a handover id reused for another application is refused, and hands nothing over', async () => {
    const staff = await t.staff(await t.signIn());
    const id = randomUUID();
    expect(await request<Ack>(staff, 'handover', { id, receiptNumber: appReceipt(6) })).toEqual({ ok: true });
    expect(await request<Ack>(staff, 'handover', { id, receiptNumber: appReceipt(6) })).toEqual({ ok: true }); // a true retry
    const reused = await request<Ack>(staff, 'handover', { id, receiptNumber: appReceipt(5) });
    expect(reused).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/already used for a different request/) } });
    expect([status(appReceipt(6)), status(appReceipt(5))]).toEqual(['collected', 'ready']);
    expect(t.daemon.ctx.outbox.pending(100).filter((e) => e.type === 'pickup')).toHaveLength(1);
  });

  it("another staff member reusing a lookup id is refused instead of receiving the first one's result", async () => {
    const first = await t.staff(await t.signIn());
    const second = await t.staff(await t.signIn('s2', '135792'));
    const id = randomUUID();
    const payload = { id, receiptNumber: appReceipt(1), reason: '電話での問い合わせ' };
    expect(await request<Ack>(first, 'lookup', payload)).toMatchObject({ application: { receiptNumber: appReceipt(1) } });
    const auditBefore = t.daemon.ctx.audit.count();
    expect(await request<Ack>(second, 'lookup', payload)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    // No second lookup: the only new row records the refusal, by whom.
    expect(t.daemon.ctx.audit.count()).toBe(auditBefore + 1);
    expect(t.daemon.ctx.audit.tail(1)[0]).toMatchObject({ type: 'staff-action', staffId: 's2', data: { kind: 'lookup', actionId: id, refused: 'BAD_REQUEST' } });
    // The id of one kind of action cannot be replayed as another either.
    expect(await request<Ack>(first, 'reprint', { id, ticketId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('keeps answers without whole receiver names, and prunes old ones', async () => {
    const staff = await t.staff(await t.signIn());
    const registered = await request<{ ok: boolean; receiver: { name: string } }>(staff, 'register-receiver', { id: randomUUID(), text: t.codes.reg() });
    expect(registered).toMatchObject({ ok: true, receiver: { name: '新規登録商会' } });
    const db = t.daemon.ctx.cache.db;
    const stored = (db.prepare('SELECT response FROM action_results').all() as { response: string }[]).map((r) => r.response).join('\n');
    expect(stored).toContain('新規＊＊＊＊');
    expect(stored).not.toContain('新規登録商会');

    const old = new Date(Date.now() - ACTION_RESULT_RETENTION_MS - 60_000).toISOString();
    db.prepare("INSERT INTO action_results (id, kind, staff_id, response, at, fingerprint) VALUES ('old-one', 'lookup', 's1', '{}', ?, 'x')").run(old);
    t.daemon.actions.results.remember({ id: randomUUID(), kind: 'lookup', staffId: 's1', payload: {} }, {}, new Date(Date.now() + 2 * 3_600_000));
    expect(db.prepare("SELECT count(*) AS n FROM action_results WHERE id = 'old-one'").get()).toEqual({ n: 0 });
  });
});
