// What staff read when the daemon refuses a counter action, in their language. The daemon answers
// with a code and an English sentence for logs; the screen says what happened and what to do next,
// from the code and what it knows (the ticket's state now).
import type { ActionError, TicketView } from '../../../protocol/events.js';
import type { ActionErrorCode } from '../../../protocol/errors.js';
import type { LocalizedText } from '../../../protocol/verdict.js';
import { reasonWords, TICKET_STATUS_WORDS } from './words.js';

export type StaffAction =
  | 'call-next'
  | 'scan'
  | 'handover'
  | 'register-receiver'
  | 'apply-password-change'
  | 'reprint'
  | 'lookup'
  | 'resolve-conflict'
  | 'recall'
  | 'no-show'
  | 'requeue'
  | 'cancel';

/** Handover re-checks and code checks: what staff must do, per reason. */
const REFUSALS: Record<string, LocalizedText> = {
  UNKNOWN_APPLICATION: { ja: 'この申請はこの端末のデータにありません。受付番号を確認してください。交付しないでください。', en: 'This application is not in this kiosk’s data. Check the receipt number; do not hand anything over.' },
  WRONG_OFFICE: { ja: '別の事務所の申請です。交付物はこの事務所にはありません。', en: 'This application belongs to another office; its items are not here.' },
  ALREADY_COLLECTED: { ja: 'すでに交付済みです（この窓口または他の場所で）。二重に交付しないでください。', en: 'Already handed over (here or elsewhere). Do not hand it over again.' },
  APPLICATION_CLOSED: { ja: '番号札の発行後に取下げ・却下されました。この交付物は渡せません。ご本人に伝えてください（他の交付物は渡せます）。', en: 'Withdrawn or rejected after the ticket was issued: this item cannot be handed over. Tell the person; the other items can.' },
  KEY_NOT_VALID: { ja: '番号札のもとのコードは失効しました。新しく印刷したコードを読み取ってください。', en: 'The code behind this ticket is no longer valid. Scan a freshly printed code instead.' },
  UNKNOWN_RECEIVER: { ja: '受取者の登録がありません。交付せず、受取者の管理者に確認するよう伝えてください。', en: 'The receiver is no longer registered. Do not hand over; the person should ask their administrator.' },
  RECEIVER_NOT_ACTIVE: { ja: '受取者が利用停止中です。交付せず、受取者の管理者に確認するよう伝えてください。', en: 'The receiver is not active. Do not hand over; the person should ask their administrator.' },
  PASSWORD_CHANGED: { ja: '番号札の発行後に受取者のパスワードが変更されました。新しいパスワードで印刷したコードを読み取ってください。', en: 'The receiver’s password changed after this ticket was issued. Scan a code printed with the new password.' },
  NOT_READY: { ja: 'この申請は審査中か補正待ちです。まだ交付できません。', en: 'This application is under review or waiting for a correction: not ready to hand over.' },
  FEES_UNPAID: { ja: '手数料が納付済みになっていません。二重に納付しないよう伝え、会計で確認するよう案内してください。', en: 'Fees not shown as paid. Tell the person not to pay twice; send them to the payment desk to check.' },
};

const GENERIC: Partial<Record<ActionErrorCode | 'FORBIDDEN' | 'SESSION_EXPIRED', LocalizedText>> = {
  OFFLINE: { ja: 'サーバーに接続していないため送れませんでした。接続が戻ったら、もう一度押してください。', en: 'Not connected to the kiosk server, so nothing was sent. Press again once the connection is back.' },
  TIMEOUT: { ja: '応答がありません。もう一度押すと同じ操作として送り直します（二重には記録されません）。', en: 'No answer. Pressing again resends the same action (it is never recorded twice).' },
  UNAUTHORIZED: { ja: 'サインインが切れました。もう一度サインインしてください。', en: 'Your session ended. Please sign in again.' },
  SESSION_EXPIRED: { ja: 'サインインが切れました。もう一度サインインしてください。', en: 'Your session ended. Please sign in again.' },
  FORBIDDEN: { ja: 'この操作の権限がありません。', en: 'You may not do this.' },
  PRINTER_UNAVAILABLE: { ja: 'この端末にはプリンタがありません。', en: 'This kiosk has no printer.' },
  ALREADY_RESOLVED: { ja: 'この競合はすでに解決済みです。', en: 'This conflict was already resolved.' },
  NOT_ON_TICKET: { ja: 'この番号札にはこの申請が載っていません。申請が載っている番号札を開くか、コードを読み取ってください。', en: 'This ticket does not hold this application. Open the ticket that holds it, or scan the code.' },
  DEVICE_UNAVAILABLE: { ja: 'サーバーが停止処理中です。再起動を待ってからもう一度お試しください。', en: 'The kiosk server is shutting down. Try again once it is back.' },
  DATABASE: { ja: 'データベースが一時的に使えません。少し待ってからもう一度お試しください。', en: 'The database is busy. Wait a moment and try again.' },
  BUSY: { ja: 'サーバーが混み合っています。少し待ってからもう一度お試しください。', en: 'The kiosk server is busy. Wait a moment and try again.' },
  INTERNAL: { ja: 'キオスク本体で予期しないエラーが起きました。もう一度お試しください。続く場合は管理者へ連絡してください。', en: 'An unexpected error in the kiosk server. Try again; if it persists, call the administrator.' },
  REJECTED: { ja: 'このコードは受け付けられませんでした。コードを確かめてください。', en: 'This code was not accepted. Check the code.' },
  LOCKED_OUT: { ja: '失敗が続いたため一時的にロックされています。しばらくしてからお試しください。', en: 'Locked after repeated failures. Try again later.' },
  UPSTREAM_UNAVAILABLE: { ja: '本部に接続できないため、いまはできません。', en: 'The hub cannot be reached, so this cannot be done now.' },
};

const TICKET_ACTIONS = new Set<StaffAction>(['recall', 'no-show', 'requeue', 'cancel', 'reprint']);

/** The refusal in the staff member's words. `ticket`: the ticket the action was about, as the screen knows it now. */
export function actionFailure(action: StaffAction, error: ActionError, ticket?: TicketView): LocalizedText {
  const code = error.code;
  const known = REFUSALS[code] ?? GENERIC[code];
  if (known) return known;
  if (code === 'BAD_REQUEST' && (action === 'call-next' || action === 'recall' || action === 'scan')) {
    return { ja: 'この窓口番号は使えません。窓口番号を選び直してください。', en: 'This counter number is not one of this office’s. Choose the counter again.' };
  }
  if (code === 'BAD_REQUEST' && action === 'cancel') return { ja: '取消の理由を3文字以上で入力してください。', en: 'Give a reason for cancelling (at least 3 characters).' };
  if (code === 'WRONG_CODE') {
    return action === 'register-receiver'
      ? { ja: 'これは受取者登録コードではありません。', en: 'This is not a receiver registration code.' }
      : { ja: 'これはパスワード変更コードではありません。', en: 'This is not a password change code.' };
  }
  if (TICKET_ACTIONS.has(action) && ticket && (code === 'CONFLICT' || code === 'NOT_FOUND')) return ticketConflict(action, ticket);
  if (code === 'NOT_FOUND') return { ja: '見つかりません。本日の番号札か確認してください。', en: 'Not found. Check that it is today’s ticket.' };
  const reason = reasonWords(code);
  if (reason) return { ja: `できません：${reason.ja}。`, en: `Not possible: ${reason.en}.` };
  return { ja: 'この操作はできませんでした。画面の状態を確かめて、もう一度お試しください。', en: 'This could not be done. Check the screen and try again.' };
}

function ticketConflict(action: StaffAction, t: TicketView): LocalizedText {
  const st = TICKET_STATUS_WORDS[t.status];
  const what: Record<StaffAction, LocalizedText> = {
    recall: { ja: '再呼出', en: 'recall' },
    'no-show': { ja: '不在にする', en: 'set aside as a no-show' },
    requeue: { ja: '列に戻す', en: 'put back in the queue' },
    cancel: { ja: '取消', en: 'cancel' },
    reprint: { ja: '再印刷', en: 'reprint' },
  } as Record<StaffAction, LocalizedText>;
  const w = what[action] ?? { ja: 'この操作', en: 'do this' };
  return { ja: `${t.number} は「${st.ja}」のため、${w.ja}はできません。`, en: `${t.number} is “${st.en}”: you cannot ${w.en} it.` };
}
