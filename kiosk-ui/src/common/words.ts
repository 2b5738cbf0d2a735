// Words for what the daemon sends as codes: reasons, outcomes, code types, ticket and application
// statuses. Screens show these, never the codes themselves.
import type { TicketStatus } from '../../../protocol/events.js';
import type { CodeType, LocalizedText, Outcome, Reason } from '../../../protocol/verdict.js';

/** A reason as staff read it at a glance (the verdict's own message says the rest). */
export const REASON_WORDS: Record<Reason, LocalizedText> = {
  MALFORMED: { ja: '読み取れないコード', en: 'Unreadable code' },
  UNSUPPORTED_VERSION: { ja: '対応していない形式', en: 'Unsupported format' },
  UNKNOWN_KEY: { ja: '確認できない署名鍵', en: 'Unknown signing key' },
  BAD_SIGNATURE: { ja: '署名が正しくない', en: 'Signature not genuine' },
  KEY_NOT_VALID: { ja: '署名鍵が無効', en: 'Signing key withdrawn' },
  CODE_EXPIRED: { ja: '有効期限切れ', en: 'Code expired' },
  CODE_NOT_YET_VALID: { ja: 'まだ有効でない', en: 'Not valid yet' },
  CACHE_STALE: { ja: 'データが古い', en: 'Data out of date' },
  UNKNOWN_APPLICATION: { ja: '申請が見つからない', en: 'Application not found' },
  WRONG_OFFICE: { ja: '別の事務所の申請', en: 'Another office' },
  ALREADY_COLLECTED: { ja: '受取済み', en: 'Already collected' },
  APPLICATION_CLOSED: { ja: '取下げ・却下済み', en: 'Withdrawn or rejected' },
  NOT_READY: { ja: '審査中・補正待ち', en: 'Not ready yet' },
  FEES_UNPAID: { ja: '手数料未納', en: 'Fees unpaid' },
  UNKNOWN_RECEIVER: { ja: '未登録の受取者', en: 'Receiver not registered' },
  RECEIVER_NOT_ACTIVE: { ja: '利用停止中の受取者', en: 'Receiver not active' },
  PASSWORD_CHANGED: { ja: 'パスワード変更前のコード', en: 'Printed before a password change' },
  CACHE_BEHIND: { ja: 'データ未反映の可能性', en: 'Data may be behind' },
  INDIVIDUAL_CODE_REQUIRED: { ja: '個別コードが必要', en: 'Individual code required' },
  NOTHING_TO_COLLECT: { ja: '受け取れる交付物なし', en: 'Nothing to collect' },
  COUNTER_ONLY: { ja: '窓口で手続き', en: 'Counter procedure' },
  ALREADY_REGISTERED: { ja: '登録済み', en: 'Already registered' },
  PASSWORD_CHANGE_ALREADY_APPLIED: { ja: '反映済み', en: 'Already applied' },
};

export function reasonWords(code: string): LocalizedText | undefined {
  return (REASON_WORDS as Record<string, LocalizedText>)[code];
}

/**
 * What the person should do next, for reasons whose message states a fact but no step
 * (shown on the self-service screen under the message).
 */
export const NEXT_STEP: Partial<Record<Reason, LocalizedText>> = {
  NOT_READY: {
    ja: '申請した画面で状況をご確認ください。補正の依頼があれば補正を済ませ、交付の準備ができてから、もう一度お越しください。',
    en: 'Check the status where you applied. If a correction was requested, make it first; come back once it is ready.',
  },
  ALREADY_COLLECTED: {
    ja: 'お心当たりがない場合は、窓口へお越しください。',
    en: 'If you did not collect it, please come to the counter.',
  },
  NOTHING_TO_COLLECT: {
    ja: 'お心当たりがない場合は、窓口へお越しください。',
    en: 'If you expected something, please come to the counter.',
  },
};

export const OUTCOME_WORDS: Record<Outcome, LocalizedText> = {
  accepted: { ja: '受取可', en: 'Ready to hand over' },
  rejected: { ja: '受取不可', en: 'Cannot hand over' },
  refer: { ja: '要確認', en: 'Needs a check' },
};

export const CODE_TYPE_WORDS: Record<CodeType, LocalizedText> = {
  APP: { ja: '申請ごとのコード', en: 'Application code' },
  AUTH: { ja: '一括受取コード', en: 'Batch pickup code' },
  REG: { ja: '受取者登録コード', en: 'Receiver registration code' },
  PWD: { ja: 'パスワード変更コード', en: 'Password change code' },
};

export const TICKET_STATUS_WORDS: Record<TicketStatus, LocalizedText> = {
  waiting: { ja: '待ち', en: 'Waiting' },
  called: { ja: '呼出中', en: 'Called' },
  done: { ja: '完了', en: 'Done' },
  cancelled: { ja: '取消', en: 'Cancelled' },
  'no-show': { ja: '不在', en: 'No-show' },
};

export const APPLICATION_STATUS_WORDS: Record<string, LocalizedText> = {
  reviewing: { ja: '審査中', en: 'Under review' },
  correction_requested: { ja: '補正待ち', en: 'Waiting for a correction' },
  ready: { ja: '交付準備済み', en: 'Ready' },
  collected: { ja: '受取済み', en: 'Collected' },
  rejected: { ja: '却下', en: 'Rejected' },
  withdrawn: { ja: '取下げ', en: 'Withdrawn' },
};

export function applicationStatusWords(status: string): LocalizedText {
  return APPLICATION_STATUS_WORDS[status] ?? { ja: '不明な状態', en: 'Unknown status' };
}

export const DELIVERABLE_WORDS: Record<string, LocalizedText> = {
  certificate: { ja: '自動車検査証', en: 'Inspection certificate' },
  record_printout: { ja: '記録事項', en: 'Record printout' },
  sticker: { ja: '検査標章', en: 'Inspection sticker' },
};

/** A procedure type's name from the daemon's cache (KioskState.procedureTypes); never the bare code. */
export function procedureWords(code: string, names: Record<string, LocalizedText> | undefined): LocalizedText {
  return names?.[code] ?? { ja: 'その他の手続', en: 'Other procedure' };
}
