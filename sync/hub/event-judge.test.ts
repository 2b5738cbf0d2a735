import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventsRequest } from '../../protocol/sync.js';
import { deviceExchanges, factKeys, judgeBatch, judgeGroup, type ApplicationData, type BatchFacts, type ReceiverData } from './event-judge.js';

const DEVICE = { deviceId: 'k1', office: '4301' };
const at = (s: number) => new Date(Date.parse('2026-12-01T01:00:00Z') + s * 1000).toISOString();
const ready: ApplicationData = { office: '4301', procedureType: 'NEW', channel: 'batch', receiverId: 'R1', status: 'ready', feesPaid: true };
const active: ReceiverData = { name: 'n', batchUserId: 'b', status: 'active', passwordVersion: 1 };

function facts(more: Partial<BatchFacts> = {}): BatchFacts {
  return {
    existing: new Map(),
    applications: new Map([['A1', ready]]),
    receivers: new Map([['R1', active]]),
    collectedBy: new Map(),
    passwordChanges: new Map([['R1', [{ receiverId: 'R1', version: 1, changedAt: null }]]]),
    ...more,
  };
}

function request(...events: Array<{ type: string; at?: number; id?: string; data: Record<string, unknown> }>): EventsRequest {
  return {
    deviceId: 'k1',
    office: '4301',
    auditHead: null,
    events: events.map((e) => ({ id: e.id ?? randomUUID(), type: e.type as 'pickup', at: at(e.at ?? 0), deviceTime: at(0), data: e.data })),
  };
}

const codes = (r: ReturnType<typeof judgeBatch>) => r.results.map((x) => (x.status === 'conflict' ? (x.detail as { code: string }).code : x.status));
const authPickup = (s: number, pwv = 1) => ({ type: 'pickup', at: s, data: { receiptNumber: 'A1', codeType: 'AUTH', receiverId: 'R1', passwordVersion: pwv } });

describe('judgeBatch', () => {
  it('sees the effects of earlier events of the same batch', () => {
    const r = judgeBatch(request({ type: 'pickup', at: 1, data: { receiptNumber: 'A1' } }, { type: 'pickup', at: 2, data: { receiptNumber: 'A1' } }), DEVICE, facts());
    expect(codes(r)).toEqual(['applied', 'ALREADY_COLLECTED']);
    expect(r.results[1]?.detail).toMatchObject({ deviceId: 'k1', at: at(1) });
    expect(r.publish).toEqual([{ seq: 0, entity: 'application', id: 'A1', op: 'upsert', data: { ...ready, status: 'collected' } }]);
  });

  it('judges an AUTH pickup by when the password changed, against the scan time', () => {
    const change = { type: 'password-change', at: 100, data: { receiverId: 'R1', passwordVersion: 2 } };
    expect(codes(judgeBatch(request(change, authPickup(50)), DEVICE, facts()))).toEqual(['applied', 'applied']);
    expect(codes(judgeBatch(request(change, authPickup(150)), DEVICE, facts()))).toEqual(['applied', 'PASSWORD_CHANGED']);
    const r = judgeBatch(request(change), DEVICE, facts());
    expect(r.passwordVersions).toEqual([{ receiverId: 'R1', version: 2, changedAt: at(100) }]);
    expect(r.publish).toMatchObject([{ entity: 'receiver', id: 'R1', data: { passwordVersion: 2 } }]);
    // A version the hub first saw already raised counts as raised before any scan.
    const known = facts({ receivers: new Map([['R1', { ...active, passwordVersion: 3 }]]), passwordChanges: new Map([['R1', [{ receiverId: 'R1', version: 3, changedAt: null }]]]) });
    expect(codes(judgeBatch(request(authPickup(0, 2)), DEVICE, known))).toEqual(['PASSWORD_CHANGED']);
    expect(codes(judgeBatch(request(authPickup(0, 3)), DEVICE, known))).toEqual(['applied']);
  });

  it('names what is wrong with a pickup the hub cannot accept', () => {
    const apps = new Map<string, ApplicationData>([
      ['NR', { ...ready, status: 'reviewing' }],
      ['WD', { ...ready, status: 'withdrawn' }],
      ['UP', { ...ready, feesPaid: false }],
      ['OTHER', { ...ready, receiverId: 'R2' }],
    ]);
    const r = judgeBatch(
      request(
        { type: 'pickup', data: { receiptNumber: 'NR' } },
        { type: 'pickup', data: { receiptNumber: 'WD' } },
        { type: 'pickup', data: { receiptNumber: 'UP' } },
        { type: 'pickup', data: { receiptNumber: 'OTHER', codeType: 'AUTH', receiverId: 'R1', passwordVersion: 1 } },
        { type: 'pickup', data: { receiptNumber: 'A1', codeType: 'AUTH' } },
        { type: 'pickup', data: { receiptNumber: 7 } },
      ),
      DEVICE,
      facts({ applications: new Map([...apps, ['A1', ready]]) }),
    );
    expect(codes(r)).toEqual(['NOT_READY', 'APPLICATION_CLOSED', 'FEES_UNPAID', 'RECEIVER_MISMATCH', 'MALFORMED', 'MALFORMED']);
    expect(r.publish).toEqual([]);
    expect(r.inserts.map((i) => i.status)).toEqual(Array(6).fill('conflict'));
  });

  it('answers known ids as duplicates (or their conflict again), and an id of another device as a conflict', () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const existing = new Map([
      [a, { deviceId: 'k1', status: 'applied' as const, detail: null }],
      [b, { deviceId: 'k1', status: 'conflict' as const, detail: { code: 'ALREADY_COLLECTED' } }],
      [c, { deviceId: 'k9', status: 'applied' as const, detail: null }],
    ]);
    const r = judgeBatch(request({ type: 'ticket', id: a, data: {} }, { type: 'ticket', id: b, data: {} }, { type: 'ticket', id: c, data: {} }), DEVICE, facts({ existing }));
    expect(r.results).toEqual([
      { id: a, status: 'duplicate' },
      { id: b, status: 'conflict', detail: { code: 'ALREADY_COLLECTED' } },
      { id: c, status: 'conflict', detail: expect.objectContaining({ code: 'ID_IN_USE' }) },
    ]);
    expect(r.inserts).toEqual([]);
  });

  it('lists the rows a group needs, and one clock and highest audit head per device', () => {
    const req = request({ type: 'pickup', data: { receiptNumber: 'A1', receiverId: 'R1' } }, { type: 'registration', data: { receiverId: 'R2' } }, { type: 'ticket', data: { receiverId: 'X' } });
    expect(factKeys([req, req])).toMatchObject({ receipts: ['A1'], receivers: ['R1', 'R2'] });
    expect(factKeys([req]).eventIds).toHaveLength(3);
    const hubTime = new Date(Date.parse(at(0)) - 2000);
    const batches = [
      { device: DEVICE, request: { ...req, auditHead: { seq: 9, hash: 'a'.repeat(64) } } },
      { device: DEVICE, request: { ...req, auditHead: { seq: 4, hash: 'b'.repeat(64) }, events: [] } },
    ];
    expect(deviceExchanges(batches, hubTime)).toEqual([{ deviceId: 'k1', deviceTime: at(0), skewMs: 2000, auditHead: { seq: 9, hash: 'a'.repeat(64) } }]);
  });

  it('judges a group’s batches in order against shared facts', () => {
    const other = { deviceId: 'k2', office: '4301' };
    const g = judgeGroup(
      [
        { device: DEVICE, request: request({ type: 'pickup', at: 5, data: { receiptNumber: 'A1' } }) },
        { device: other, request: request({ type: 'pickup', at: 6, data: { receiptNumber: 'A1' } }) },
      ],
      facts(),
      new Date(),
    );
    expect(g.results.map((r) => r[0]!.status)).toEqual(['applied', 'conflict']);
    expect(g.results[1]![0]!.detail).toMatchObject({ code: 'ALREADY_COLLECTED', deviceId: 'k1', at: at(5) });
    expect(g.inserts.map((i) => i.deviceId)).toEqual(['k1', 'k2']);
    expect(g.publish).toHaveLength(1);
  });
});
