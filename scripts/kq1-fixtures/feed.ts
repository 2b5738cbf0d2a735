// The fixture change feed: three offices (and one closed), four procedure types, keys of every
// standing, receivers of every status, and applications of every status, with the things a real
// feed does: later records that override earlier ones, deletes, a delete undone by a newer
// upsert, and lines whose seq is out of file order (the feed applies by seq, not by line).
import type { SigningKey } from '../../sync/issuing/kq1-issuer.js';
import type { KeyRole } from './keys.js';

/** When the data was true at the source. */
export const AS_OF = '2026-11-27T00:50:00Z';
/** The clock most cases judge by: 10:00 in Kumamoto, ten minutes after the data's asOf. */
export const NOW = '2026-11-27T01:00:00Z';

export const OFFICES = {
  kumamoto: '4301',
  yatsushiro: '4302',
  /** Published, then deleted: applications that still name it get WRONG_OFFICE with no office name. */
  aso: '4303',
  osaka: '2701',
} as const;

export const RECEIVERS = {
  /** Active; its password version 2 is overridden to 3 by a later record. */
  sakura: 'R31000001',
  /** Active; every batch application of procedure NEW had its own APP code printed. */
  tsubame: 'R31000002',
  suspended: 'R31000003',
  pending: 'R31000004',
  /** status "deleted" (a receiver the portal closed) */
  closed: 'R31000005',
  /** Published, then removed by a delete record. */
  removed: 'R31000006',
  /** Active, at the Osaka office. */
  naniwa: 'R27000001',
} as const;

/** Receipt numbers: date, office code, serial: 17 digits. */
const receipt = (office: string, serial: number) => `20261125${office}${String(serial).padStart(5, '0')}`;

export const APPS = {
  ready: receipt('4301', 1),
  atYatsushiro: receipt('4302', 2),
  reviewing: receipt('4301', 3),
  correctionRequested: receipt('4301', 4),
  feesUnpaid: receipt('4301', 5),
  collected: receipt('4301', 6),
  withdrawn: receipt('4301', 7),
  rejected: receipt('4301', 8),
  /** reviewing, then ready in a later record */
  readyLater: receipt('4301', 9),
  /** ready at seq 43 on an early line; an older line (seq 20, withdrawn) further down is ignored */
  olderLineIgnored: receipt('4301', 10),
  deleted: receipt('4301', 11),
  atClosedOffice: receipt('4303', 12),
  atOsaka: receipt('2701', 13),
  /** ready, then collected elsewhere in a later record */
  collectedLater: receipt('4301', 14),
  /** deleted, then published again with a newer seq */
  republished: receipt('4301', 15),
  // Batch applications.
  sakuraRenew1: receipt('4301', 21),
  sakuraRenew2: receipt('4301', 22),
  sakuraRenewIndividual: receipt('4301', 23),
  sakuraRenewYatsushiro: receipt('4302', 24),
  sakuraRenewCollected: receipt('4301', 25),
  sakuraRenewUnpaid: receipt('4301', 26),
  sakuraRenewReviewing: receipt('4301', 27),
  sakuraNew: receipt('4301', 28),
  /** names sakura, then tsubame in a later record */
  movedToTsubame: receipt('4301', 29),
  tsubameNewIndividual: receipt('4301', 30),
  tsubameRenewIndividual: receipt('4301', 31),
  sakuraReturn: receipt('4301', 32),
  suspendedRenew: receipt('4301', 33),
  naniwaNew: receipt('2701', 34),
  /** names sakura but was filed on screen: never collected with an AUTH code */
  sakuraScreen: receipt('4301', 35),
} as const;

export interface FeedRecord {
  seq: number;
  entity: string;
  id: string;
  op: 'upsert' | 'delete';
  data?: Record<string, unknown>;
}

const ALL_ITEMS = ['certificate', 'record_printout', 'sticker'];

function application(seq: number, id: string, data: Record<string, unknown>): FeedRecord {
  const office = String(data['office'] ?? OFFICES.kumamoto);
  const registration = { '4301': '熊本 580 あ', '4302': '熊本 581 さ', '4303': '熊本 582 か', '2701': '大阪 583 な' }[office] ?? '熊本 580 あ';
  return {
    seq,
    entity: 'application',
    id,
    op: 'upsert',
    data: {
      office,
      procedureType: 'RENEW',
      channel: 'screen',
      receiverId: null,
      status: 'ready',
      feesPaid: true,
      individualCodeIssued: false,
      deliverables: ALL_ITEMS,
      vehicle: { registration: `${registration} ${id.slice(-2)}-${id.slice(-4, -2)}`, chassisLast4: id.slice(-4) },
      reviewCompletedAt: '2026-11-26T01:00:00Z',
      ...data,
    },
  };
}

const batch = (seq: number, id: string, receiverId: string, data: Record<string, unknown> = {}) =>
  application(seq, id, { channel: 'batch', receiverId, ...data });

function key(seq: number, k: SigningKey, window: { notBefore: string | null; notAfter: string | null; revokedAt?: string }): FeedRecord {
  return { seq, entity: 'key', id: k.kid, op: 'upsert', data: { alg: 'Ed25519', publicKey: k.publicKeyBase64, revokedAt: null, ...window } };
}

const named = (seq: number, entity: string, id: string, ja: string, en: string): FeedRecord => ({ seq, entity, id, op: 'upsert', data: { name: { ja, en } } });
const remove = (seq: number, entity: string, id: string): FeedRecord => ({ seq, entity, id, op: 'delete' });
const receiver = (seq: number, id: string, name: string, status: string, passwordVersion: number): FeedRecord => ({
  seq,
  entity: 'receiver',
  id,
  op: 'upsert',
  data: { name, batchUserId: `IK${id.slice(1)}`, status, passwordVersion },
});

/** The records in file order. */
export function feedRecords(keys: Record<KeyRole, SigningKey>): FeedRecord[] {
  const R = RECEIVERS;
  const A = APPS;
  return [
    { seq: 1, entity: 'meta', id: 'feed', op: 'upsert', data: { asOf: AS_OF, source: 'kiosk test fixture' } },
    named(2, 'office', OFFICES.kumamoto, '熊本事務所', 'Kumamoto Office'),
    named(3, 'office', OFFICES.yatsushiro, '熊本事務所 八代支所', 'Kumamoto Office, Yatsushiro Branch'),
    named(4, 'office', OFFICES.aso, '熊本事務所 阿蘇分室', 'Kumamoto Office, Aso Annex'),
    named(5, 'office', OFFICES.osaka, '大阪事務所（旧名）', 'Osaka Office (old name)'),
    named(6, 'procedureType', 'RENEW', '継続検査', 'Periodic inspection'),
    named(7, 'procedureType', 'NEW', '新規検査', 'New vehicle inspection'),
    named(8, 'procedureType', 'CHANGE', '自動車検査証記入', 'Certificate record change'),
    named(9, 'procedureType', 'RETURN', '自動車検査証返納', 'Certificate return'),
    key(10, keys.current, { notBefore: '2026-02-01T00:00:00Z', notAfter: null }),
    key(11, keys.old, { notBefore: '2025-02-01T00:00:00Z', notAfter: '2026-02-01T00:00:00Z' }),
    key(12, keys.revoked, { notBefore: '2026-02-01T00:00:00Z', notAfter: null }),
    key(13, keys.future, { notBefore: '2027-02-01T00:00:00Z', notAfter: null }),
    key(14, keys.withdrawn, { notBefore: '2024-02-01T00:00:00Z', notAfter: null }),
    receiver(15, R.sakura, '株式会社さくら自動車', 'active', 2),
    receiver(16, R.tsubame, '有限会社つばめモータース', 'active', 1),
    receiver(17, R.suspended, '合同会社かえで整備', 'suspended', 2),
    receiver(18, R.pending, '株式会社ひかりオート', 'pending', 0),
    receiver(19, R.closed, '旧やなぎ商会', 'deleted', 4),
    // Out of order on purpose: this line's seq is newer than the one below it for the same id.
    application(43, A.olderLineIgnored, {}),
    application(20, A.olderLineIgnored, { status: 'withdrawn' }),
    receiver(21, R.removed, 'やまびこ自動車株式会社', 'active', 1),
    receiver(22, R.naniwa, '株式会社なにわカーズ', 'active', 1),
    application(23, A.ready, {}),
    application(24, A.atYatsushiro, { office: OFFICES.yatsushiro }),
    application(25, A.reviewing, { status: 'reviewing', reviewCompletedAt: null }),
    application(26, A.correctionRequested, { status: 'correction_requested', reviewCompletedAt: null }),
    application(27, A.feesUnpaid, { feesPaid: false }),
    application(28, A.collected, { status: 'collected' }),
    application(29, A.withdrawn, { status: 'withdrawn', reviewCompletedAt: null }),
    application(30, A.rejected, { status: 'rejected', reviewCompletedAt: null }),
    application(31, A.readyLater, { status: 'reviewing', reviewCompletedAt: null }),
    application(32, A.deleted, {}),
    application(33, A.atClosedOffice, { office: OFFICES.aso }),
    application(34, A.atOsaka, { office: OFFICES.osaka }),
    application(35, A.collectedLater, {}),
    application(36, A.republished, { procedureType: 'CHANGE', deliverables: ['certificate'] }),
    batch(37, A.sakuraRenew1, R.sakura),
    batch(38, A.sakuraRenew2, R.sakura),
    batch(39, A.sakuraRenewIndividual, R.sakura, { individualCodeIssued: true }),
    batch(40, A.sakuraRenewYatsushiro, R.sakura, { office: OFFICES.yatsushiro }),
    batch(41, A.sakuraRenewCollected, R.sakura, { status: 'collected' }),
    batch(42, A.sakuraRenewUnpaid, R.sakura, { feesPaid: false }),
    batch(44, A.sakuraRenewReviewing, R.sakura, { status: 'reviewing', reviewCompletedAt: null }),
    batch(45, A.sakuraNew, R.sakura, { procedureType: 'NEW' }),
    batch(46, A.movedToTsubame, R.sakura),
    batch(47, A.tsubameNewIndividual, R.tsubame, { procedureType: 'NEW', individualCodeIssued: true }),
    batch(48, A.tsubameRenewIndividual, R.tsubame, { individualCodeIssued: true }),
    batch(49, A.sakuraReturn, R.sakura, { procedureType: 'RETURN', deliverables: ['record_printout'] }),
    batch(50, A.suspendedRenew, R.suspended),
    batch(51, A.naniwaNew, R.naniwa, { office: OFFICES.osaka, procedureType: 'NEW' }),
    application(52, A.sakuraScreen, { receiverId: R.sakura }),
    // Later changes: each overrides or deletes something above.
    named(53, 'office', OFFICES.osaka, '大阪事務所', 'Osaka Office'),
    remove(54, 'office', OFFICES.aso),
    key(55, keys.revoked, { notBefore: '2026-02-01T00:00:00Z', notAfter: null, revokedAt: '2026-11-20T00:00:00Z' }),
    remove(56, 'key', keys.withdrawn.kid),
    receiver(57, R.sakura, '株式会社さくら自動車', 'active', 3),
    remove(58, 'receiver', R.removed),
    application(59, A.readyLater, {}),
    application(60, A.collectedLater, { status: 'collected' }),
    remove(61, 'application', A.deleted),
    remove(62, 'application', A.republished),
    batch(63, A.movedToTsubame, R.tsubame),
    // Newer than its delete: the application is back.
    application(64, A.republished, { procedureType: 'CHANGE', deliverables: ['certificate'] }),
  ];
}

