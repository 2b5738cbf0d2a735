// Demo defaults for `npm start` with nothing configured: the demo office's data, signed by a demo
// key kept in the data directory, and codes to scan. Demo only: never trusted in production,
// because it exists only when no upstream is configured.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { generateSigningKey, mintKq1, signingKeyFromSeed, type SigningKey } from '../../sync/issuing/kq1-issuer.js';
import type { ChangeRecord } from '../../protocol/feed-records.js';
import { checkRecord } from '../../protocol/feed-records.js';

const KEY_FILE = 'demo-signing-key.json';
export const DEMO_KID = 'demo-key-1';

export function loadOrCreateDemoKey(dataDir: string): SigningKey {
  const file = join(dataDir, KEY_FILE);
  if (existsSync(file)) {
    const { kid, seed } = JSON.parse(readFileSync(file, 'utf8')) as { kid: string; seed: string };
    return signingKeyFromSeed(kid, seed);
  }
  const key = generateSigningKey(DEMO_KID);
  writeFileSync(file, JSON.stringify({ kid: key.kid, seed: key.seedBase64, note: 'DEMO ONLY: signs the demo codes' }) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

const vehicle = (registration: string, chassisLast4: string) => ({ registration, chassisLast4 });
const ready = { status: 'ready', feesPaid: true, individualCodeIssued: false, deliverables: ['certificate', 'record_printout', 'sticker'], reviewCompletedAt: '2026-11-20T01:00:00Z' };

/** Screen applications the demo APP codes name: enough for a few pickups each start. */
const DEMO_READY_APPS = 6;

export function demoFeed(key: SigningKey, now: Date): ChangeRecord[] {
  const raw: object[] = [
    { entity: 'meta', id: 'feed', op: 'upsert', data: { asOf: now.toISOString(), source: 'demo' } },
    { entity: 'office', id: '4301', op: 'upsert', data: { name: { ja: '熊本事務所', en: 'Kumamoto Office' } } },
    { entity: 'office', id: '4302', op: 'upsert', data: { name: { ja: '熊本事務所 八代支所', en: 'Kumamoto Office, Yatsushiro Branch' } } },
    { entity: 'procedureType', id: 'RENEW', op: 'upsert', data: { name: { ja: '継続検査', en: 'Periodic inspection' } } },
    { entity: 'procedureType', id: 'NEW', op: 'upsert', data: { name: { ja: '新規検査', en: 'New vehicle inspection' } } },
    { entity: 'key', id: key.kid, op: 'upsert', data: { alg: 'Ed25519', publicKey: key.publicKeyBase64, notBefore: '2026-01-01T00:00:00Z', notAfter: null, revokedAt: null } },
    { entity: 'receiver', id: 'RDEMO001', op: 'upsert', data: { name: '株式会社デモ自動車', batchUserId: 'IKDEMO01', status: 'active', passwordVersion: 1 } },
    { entity: 'receiver', id: 'RDEMO002', op: 'upsert', data: { name: '有限会社サンプル整備', batchUserId: 'IKDEMO02', status: 'pending', passwordVersion: 0 } },
    ...Array.from({ length: DEMO_READY_APPS }, (_, i) => ({
      entity: 'application', id: `2026112743019${String(i + 1).padStart(4, '0')}`, op: 'upsert',
      data: { ...ready, office: '4301', procedureType: 'RENEW', channel: 'screen', receiverId: null, vehicle: vehicle(`熊本 58${i} あ 12-3${i}`, `10${i}${i}`) },
    })),
    { entity: 'application', id: '20261127430190101', op: 'upsert', data: { ...ready, office: '4301', procedureType: 'RENEW', channel: 'screen', receiverId: null, feesPaid: false, vehicle: vehicle('熊本 500 か 10-01', '2001') } },
    { entity: 'application', id: '20261127430290102', op: 'upsert', data: { ...ready, office: '4302', procedureType: 'RENEW', channel: 'screen', receiverId: null, vehicle: vehicle('熊本 501 さ 20-02', '2002') } },
    { entity: 'application', id: '20261127430190103', op: 'upsert', data: { ...ready, office: '4301', procedureType: 'RENEW', channel: 'screen', receiverId: null, status: 'correction_requested', reviewCompletedAt: null, vehicle: vehicle('熊本 502 た 30-03', '2003') } },
    ...['0201', '0202', '0203'].map((n, i) => ({
      entity: 'application', id: `2026112743019${n}`, op: 'upsert',
      data: { ...ready, office: '4301', procedureType: 'NEW', channel: 'batch', receiverId: 'RDEMO001', vehicle: vehicle(`熊本 48${i} な 40-0${i}`, `300${i}`) },
    })),
  ];
  return raw.map((r, i) => {
    const checked = checkRecord({ seq: i + 1, ...r });
    if (!checked.ok) throw new Error(`demo feed record ${i + 1}: ${checked.error}`);
    return checked.record;
  });
}

export interface DemoCode {
  label: string;
  text: string;
}

export function demoCodes(key: SigningKey, now: Date): DemoCode[] {
  const iat = Math.floor(now.getTime() / 1000) - 60;
  const app = (rcpt: string, off = '4301') => mintKq1({ typ: 'APP', iat, jti: `demo-${rcpt}`, rcpt, off, proc: 'RENEW' }, key);
  return [
    ...Array.from({ length: 3 }, (_, i) => ({ label: `受取可能 (APP ${i + 1}) / Ready`, text: app(`2026112743019${String(i + 1).padStart(4, '0')}`) })),
    { label: '一括受取 (AUTH) / Batch pickup', text: mintKq1({ typ: 'AUTH', iat, jti: 'demo-auth-1', rid: 'RDEMO001', proc: 'NEW', pwv: 1 }, key) },
    { label: '手数料未納 / Fees unpaid', text: app('20261127430190101') },
    { label: '別の事務所 / Other office', text: app('20261127430290102', '4302') },
    { label: '補正待ち / Correction requested', text: app('20261127430190103') },
    { label: '旧パスワード (AUTH) / Old password', text: mintKq1({ typ: 'AUTH', iat, jti: 'demo-auth-0', rid: 'RDEMO001', proc: 'NEW', pwv: 0 }, key) },
    { label: '受取者登録 (REG) / Registration', text: mintKq1({ typ: 'REG', iat, jti: 'demo-reg-1', rid: 'RDEMO002', name: '有限会社サンプル整備', bid: 'IKDEMO02' }, key) },
    { label: 'パスワード変更 (PWD) / Password change', text: mintKq1({ typ: 'PWD', iat, jti: 'demo-pwd-1', rid: 'RDEMO001', name: '株式会社デモ自動車', pwv: 2 }, key) },
    { label: '読めないコード / Garbage', text: 'HELLO-THIS-IS-NOT-A-PICKUP-CODE' },
  ];
}

export async function withQrPng(codes: DemoCode[]): Promise<(DemoCode & { png: string })[]> {
  return Promise.all(codes.map(async (c) => ({ ...c, png: await QRCode.toDataURL(c.text, { errorCorrectionLevel: 'M', margin: 2, width: 240 }) })));
}
