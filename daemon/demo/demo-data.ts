// The demo's data, for `npm start` with nothing configured: the demo office's offices, receivers and
// applications, published to the embedded demo hub (demo-hub.ts), and the codes to scan, minted with
// that hub's key. Demo only: see demo-guard.ts for how a real configuration keeps clear of it.
import QRCode from 'qrcode';
import type { ChangeRecord } from '../../protocol/feed-records.js';
import { checkRecord } from '../../protocol/feed-records.js';
import type { MintInput } from '../../sync/hub/index.js';

const vehicle = (registration: string, chassisLast4: string) => ({ registration, chassisLast4 });
const ready = { status: 'ready', feesPaid: true, individualCodeIssued: false, deliverables: ['certificate', 'record_printout', 'sticker'], reviewCompletedAt: '2026-11-20T01:00:00Z' };

/** Screen applications the demo APP codes name. */
const DEMO_READY_APPS = 6;

export function demoFeed(): ChangeRecord[] {
  const raw: object[] = [
    { entity: 'office', id: '4301', op: 'upsert', data: { name: { ja: '熊本事務所', en: 'Kumamoto Office' } } },
    { entity: 'office', id: '4302', op: 'upsert', data: { name: { ja: '熊本事務所 八代支所', en: 'Kumamoto Office, Yatsushiro Branch' } } },
    { entity: 'procedureType', id: 'RENEW', op: 'upsert', data: { name: { ja: '継続検査', en: 'Periodic inspection' } } },
    { entity: 'procedureType', id: 'NEW', op: 'upsert', data: { name: { ja: '新規検査', en: 'New vehicle inspection' } } },
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

/** The demo's codes, one of each kind a newcomer should try. */
export async function demoCodes(mint: (input: MintInput) => Promise<string>, now: Date): Promise<DemoCode[]> {
  const iat = now; // not earlier: the demo hub's key is valid only from the hub's creation, moments ago
  const app = (receipt: string, office = '4301') => mint({ typ: 'APP', iat, jti: `demo-${receipt}`, receipt, office, proc: 'RENEW' });
  const codes: [string, Promise<string> | string][] = [
    ...Array.from({ length: 3 }, (_, i): [string, Promise<string>] => [`受取可能 (APP ${i + 1}) / Ready`, app(`2026112743019${String(i + 1).padStart(4, '0')}`)]),
    ['一括受取 (AUTH) / Batch pickup', mint({ typ: 'AUTH', iat, jti: 'demo-auth-1', receiver: 'RDEMO001', proc: 'NEW', pwv: 1 })],
    ['手数料未納 / Fees unpaid', app('20261127430190101')],
    ['別の事務所 / Other office', app('20261127430290102', '4302')],
    ['補正待ち / Correction requested', app('20261127430190103')],
    ['旧パスワード (AUTH) / Old password', mint({ typ: 'AUTH', iat, jti: 'demo-auth-0', receiver: 'RDEMO001', proc: 'NEW', pwv: 0 })],
    ['受取者登録 (REG) / Registration', mint({ typ: 'REG', iat, jti: 'demo-reg-1', receiver: 'RDEMO002', name: '有限会社サンプル整備', batchUser: 'IKDEMO02' })],
    ['パスワード変更 (PWD) / Password change', mint({ typ: 'PWD', iat, jti: 'demo-pwd-1', receiver: 'RDEMO001', name: '株式会社デモ自動車', pwv: 2 })],
    ['読めないコード / Garbage', 'HELLO-THIS-IS-NOT-A-PICKUP-CODE'],
  ];
  return Promise.all(codes.map(async ([label, text]) => ({ label, text: await text })));
}

export async function withQrPng(codes: DemoCode[]): Promise<(DemoCode & { png: string })[]> {
  return Promise.all(codes.map(async (c) => ({ ...c, png: await QRCode.toDataURL(c.text, { errorCorrectionLevel: 'M', margin: 2, width: 240 }) })));
}
