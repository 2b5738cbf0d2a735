// What the person in front of the kiosk (or the staff member) reads for each verdict.
import type { CodeType, DeviceMode, LocalizedText, Reason } from '../../protocol/verdict.js';

export interface MessageFacts {
  codeType: CodeType | null;
  mode: DeviceMode;
  office?: { code: string; name: LocalizedText | null };
  asOf?: string | null;
  count?: number;
}

const REJECTIONS: Record<Reason, (f: MessageFacts) => LocalizedText> = {
  MALFORMED: () => ({ ja: 'このコードは読み取れません。受取用の二次元コードをかざしてください。', en: 'This code cannot be read. Please show the pickup QR code.' }),
  UNSUPPORTED_VERSION: () => ({ ja: 'この形式のコードには対応していません。窓口でお尋ねください。', en: 'This code format is not supported here. Please ask at the counter.' }),
  UNKNOWN_KEY: () => ({ ja: 'このコードは確認できません。窓口でお尋ねください。', en: 'This code cannot be verified. Please ask at the counter.' }),
  BAD_SIGNATURE: () => ({ ja: 'このコードは正しくありません。印刷し直したコードをお持ちください。', en: 'This code is not genuine. Please bring a freshly printed code.' }),
  KEY_NOT_VALID: () => ({ ja: 'このコードは無効です。新しく印刷したコードをお持ちください。', en: 'This code is no longer valid. Please print a new one.' }),
  CODE_EXPIRED: () => ({ ja: 'このコードは有効期限が切れています。新しく印刷してください。', en: 'This code has expired. Please print a new one.' }),
  CODE_NOT_YET_VALID: () => ({ ja: 'このコードはまだ有効になっていません。窓口でお尋ねください。', en: 'This code is not valid yet. Please ask at the counter.' }),
  CACHE_STALE: (f) => ({
    ja: `データが古いため確認できません（${f.asOf ?? '未取得'}時点）。窓口でお尋ねください。`,
    en: `The kiosk's data is out of date (as of ${f.asOf ?? 'never'}). Please ask at the counter.`,
  }),
  UNKNOWN_APPLICATION: () => ({ ja: 'この申請は見つかりません。窓口でお尋ねください。', en: 'This application was not found. Please ask at the counter.' }),
  WRONG_OFFICE: (f) => ({
    ja: `この申請の交付物は${f.office?.name?.ja ?? `事務所 ${f.office?.code ?? ''}`}でお受け取りください。`,
    en: `The deliverables for this application are at ${f.office?.name?.en ?? `office ${f.office?.code ?? ''}`}.`,
  }),
  ALREADY_COLLECTED: () => ({ ja: 'この申請の交付物は受け取り済みです。', en: 'The deliverables for this application have already been collected.' }),
  APPLICATION_CLOSED: () => ({ ja: 'この申請は取り下げまたは却下されています。窓口でお尋ねください。', en: 'This application was withdrawn or rejected. Please ask at the counter.' }),
  NOT_READY: () => ({ ja: 'この申請はまだ審査中か補正待ちです。交付の準備ができていません。', en: 'This application is still under review or waiting for a correction. It is not ready yet.' }),
  FEES_UNPAID: () => ({
    ja: '手数料の納付が確認できません。最近納付した場合は反映まで時間がかかることがあります。二重に納付しないでください。窓口でお尋ねください。',
    en: 'The fees are not shown as paid. A recent payment can take time to appear: do not pay twice. Please ask at the counter.',
  }),
  UNKNOWN_RECEIVER: () => ({ ja: 'この受取者は登録されていません。窓口でお尋ねください。', en: 'This receiver is not registered. Please ask at the counter.' }),
  RECEIVER_NOT_ACTIVE: () => ({ ja: 'この受取者は現在ご利用になれません。窓口でお尋ねください。', en: 'This receiver is not active. Please ask at the counter.' }),
  PASSWORD_CHANGED: () => ({ ja: '受取者用パスワードが変更されています。新しいパスワードでコードを印刷し直してください。', en: 'The receiver password has changed. Please print the code again with the new password.' }),
  CACHE_BEHIND: () => ({ ja: 'このコードはまだ反映されていない可能性があります。窓口でお尋ねください。', en: 'This code may be newer than the kiosk\'s data. Please ask at the counter.' }),
  INDIVIDUAL_CODE_REQUIRED: () => ({ ja: '個別の二次元コードが発行された申請です。申請ごとのコードをお使いください。', en: 'An individual code was printed for these applications. Please use each application\'s own code.' }),
  NOTHING_TO_COLLECT: () => ({ ja: 'この事務所でお受け取りいただける交付物はありません。', en: 'There is nothing to collect at this office with this code.' }),
  COUNTER_ONLY: () => ({ ja: 'このコードは窓口で書類と一緒にお出しください。', en: 'Please hand this code in at the counter with your documents.' }),
  ALREADY_REGISTERED: () => ({ ja: 'この受取者は登録済みです。', en: 'This receiver is already registered.' }),
  PASSWORD_CHANGE_ALREADY_APPLIED: () => ({ ja: 'このパスワード変更は反映済みです。', en: 'This password change has already been applied.' }),
};

export function rejectionMessage(reason: Reason, facts: MessageFacts): LocalizedText {
  return REJECTIONS[reason](facts);
}

export function acceptanceMessage(facts: MessageFacts): LocalizedText {
  switch (facts.codeType) {
    case 'REG':
      return { ja: '受取者の新規登録コードです。書類を確認して登録してください。', en: 'Receiver registration code. Check the documents, then register.' };
    case 'PWD':
      return { ja: 'パスワード変更コードです。書類を確認して反映してください。', en: 'Password change code. Check the documents, then apply the change.' };
    default: {
      const n = facts.count ?? 0;
      return facts.mode === 'counter'
        ? { ja: `${n}件の交付物をお渡しできます。`, en: `${n} application(s) ready to hand over.` }
        : { ja: `${n}件の交付物をお受け取りいただけます。番号札をお取りください。`, en: `${n} application(s) ready. Please take your ticket.` };
    }
  }
}
