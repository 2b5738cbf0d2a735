// Issue 12.6 and 12.7: the handover re-checks what matters where items leave the building — the
// application (withdrawn, collected elsewhere), and the code the ticket was issued for (a password
// change, a suspended receiver, a revoked key) — and a ticket with nothing left leaves the queue by
// itself. Through a real daemon, real SQLite, feed records imported as the hub or `kiosk import` would.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterState, KioskState, TicketView, VerdictEvent } from '../protocol/events.js';
import { importFeed } from '../daemon/store/feed-import.js';
import { mintKq1 } from '../sync/issuing/kq1-issuer.js';
import { ndjson } from './support/fixtures.js';
import { appReceipt, batchReceipt, OFFICE, request, startTestDaemon, until, type TestDaemon } from './support/daemon-harness.js';

type Ack = { ok: boolean; error?: { code: string; message: string } };

describe('handover re-checks', () => {
  let t: TestDaemon;
  let kiosk: Awaited<ReturnType<TestDaemon['kiosk']>>;
  let staff: Awaited<ReturnType<TestDaemon['staff']>>;
  let seq = 1000;
  const iat = Math.floor(Date.now() / 1000) - 60;
  const feed = (records: object[]) => importFeed(t.daemon.ctx.cache.db, t.daemon.ctx.cache.applier, Readable.from([ndjson(records)]));
  const application = (receipt: string, over: Record<string, unknown>) => ({
    seq: ++seq, entity: 'application', id: receipt, op: 'upsert',
    data: { office: OFFICE, procedureType: 'RENEW', channel: 'screen', receiverId: null, status: 'ready', feesPaid: true, ...over },
  });
  const receiver = (id: string, status: string, passwordVersion: number) => ({ seq: ++seq, entity: 'receiver', id, op: 'upsert', data: { name: '阿蘇モータース', status, passwordVersion } });
  const key = (revokedAt: Date | null) => ({
    seq: ++seq, entity: 'key', id: t.key.kid, op: 'upsert', data: { alg: 'Ed25519', publicKey: t.key.publicKeyBase64, notBefore: '2026-01-01T00:00:00Z', notAfter: null, revokedAt: revokedAt?.toISOString() ?? null },
  });
  const rb2Receipt = (i: number) => `2026112743018000${i}`;
  const scan = (text: string) => request<VerdictEvent>(kiosk, 'scan', { text, source: 'typed' });
  const handover = (receiptNumber: string, ticketId?: string) => request<Ack>(staff, 'handover', { id: randomUUID(), receiptNumber, ...(ticketId ? { ticketId } : {}) });
  const ticket = (id: string) => t.daemon.ctx.tickets.get(id)!;
  const counterView = async (id: string): Promise<TicketView | undefined> => {
    const got = new Promise<CounterState>((resolve) => staff.once('counter-state', resolve));
    t.daemon.ctx.bus.emit('stateChanged');
    return (await got).queue.find((q) => q.id === id);
  };
  const lastRefusal = () => t.daemon.ctx.audit.tail(1)[0]!;

  beforeAll(async () => {
    t = await startTestDaemon({}, { duplicateWindowMs: 0 });
    kiosk = await t.kiosk();
    staff = await t.staff(await t.signIn());
    await feed([
      receiver('RB2', 'active', 1),
      ...[0, 1].map((i) => application(rb2Receipt(i), { procedureType: 'NEW', channel: 'batch', receiverId: 'RB2' })),
    ]);
  });
  afterAll(() => t?.stop());

  it('a withdrawn application shows closed on its ticket, its handover is refused as closed, the rest still goes', async () => {
    const auth = await scan(t.codes.auth());
    const id = auth.ticket!.id;
    await feed([application(batchReceipt(1), { procedureType: 'NEW', channel: 'batch', receiverId: 'RB1', status: 'withdrawn' })]);
    const item = (await counterView(id))?.items.find((i) => i.receiptNumber === batchReceipt(1));
    expect(item).toMatchObject({ status: 'withdrawn', closed: true, handedOver: false });

    const refused = await handover(batchReceipt(1), id);
    expect(refused).toEqual({ ok: false, error: { code: 'APPLICATION_CLOSED', message: expect.stringMatching(/…0001 was withdrawn after the ticket was issued: nothing may be handed over for it/) } });
    expect(lastRefusal()).toMatchObject({ type: 'staff-action', staffId: 's1', data: { kind: 'handover', refused: 'APPLICATION_CLOSED', receipt: expect.stringMatching(/^\*+0001#[0-9a-f]{10}$/) } });
    expect(await handover(batchReceipt(0), id)).toEqual({ ok: true });
    // The hub re-checks an AUTH pickup too: it gets the code's receiver and password version.
    const pickup = t.daemon.ctx.outbox.pending(100).find((e) => e.type === 'pickup' && e.data['receiptNumber'] === batchReceipt(0));
    expect(pickup?.data).toMatchObject({ codeType: 'AUTH', receiverId: 'RB1', passwordVersion: 2, ticketId: id });
  });

  it('a password change after an AUTH ticket was issued: its handover is refused, asking for a code printed with the new password', async () => {
    const id = t.daemon.ctx.tickets.holding(batchReceipt(2), t.daemon.ctx.now())!.id;
    expect(await request<Ack>(staff, 'apply-password-change', { id: randomUUID(), text: t.codes.pwd(3) })).toMatchObject({ ok: true });
    const refused = await handover(batchReceipt(2), id);
    expect(refused).toMatchObject({ ok: false, error: { code: 'PASSWORD_CHANGED', message: expect.stringMatching(/password was changed after ticket A-001 was issued.*Ask for a code printed with the new password/) } });
    expect(t.daemon.ctx.cache.view.application(batchReceipt(2))?.status).toBe('ready');
  });

  it('a receiver suspended after its AUTH ticket was issued: refused', async () => {
    const auth = await scan(mintKq1({ typ: 'AUTH', iat, jti: 'auth-rb2', rid: 'RB2', proc: 'NEW', pwv: 1 }, t.key));
    expect(auth.verdict.outcome).toBe('accepted');
    await feed([receiver('RB2', 'suspended', 1)]);
    const refused = await handover(rb2Receipt(0), auth.ticket!.id);
    expect(refused).toMatchObject({ ok: false, error: { code: 'RECEIVER_NOT_ACTIVE', message: expect.stringMatching(/receiver of ticket A-002 is suspended now/) } });
  });

  it('a ticket whose items were all withdrawn, or collected elsewhere, leaves the queue by itself', async () => {
    const withdrawn = (await scan(t.codes.app(0))).ticket!.id;
    const elsewhere = (await scan(t.codes.app(1))).ticket!.id;
    const waitingBefore = ((await (await fetch(`${t.daemon.url}/api/state`)).json()) as KioskState).queue.waiting;
    await feed([application(appReceipt(0), { status: 'withdrawn' }), application(appReceipt(1), { status: 'collected' })]);
    await until(() => ticket(withdrawn).status === 'cancelled' && ticket(elsewhere).status === 'done', 'both tickets settled');
    expect(ticket(withdrawn)).toMatchObject({ closed_by: 'settled', cancel_reason: expect.stringMatching(/withdrawn or rejected/) });
    expect(ticket(elsewhere)).toMatchObject({ closed_by: 'settled' });
    expect(((await (await fetch(`${t.daemon.url}/api/state`)).json()) as KioskState).queue.waiting).toBe(waitingBefore - 2);
    expect(await counterView(withdrawn)).toBeUndefined();
  });

  it('a revocation announced for later changes nothing yet; once it takes effect, handovers of tickets from that key are refused', async () => {
    const a = (await scan(t.codes.app(2))).ticket!.id;
    const b = (await scan(t.codes.app(3))).ticket!.id;
    await feed([key(new Date(Date.now() + 3_600_000))]);
    expect(await handover(appReceipt(2), a)).toEqual({ ok: true });
    await feed([key(new Date(Date.now() - 1000))]);
    const refused = await handover(appReceipt(3), b);
    expect(refused).toMatchObject({ ok: false, error: { code: 'KEY_NOT_VALID', message: expect.stringMatching(/Ask for a freshly printed code/) } });
    expect(t.daemon.ctx.cache.view.application(appReceipt(3))?.status).toBe('ready');
  });
});
