// The fixture cases: scans, the device that reads them, the clock, and the verdict the decision
// table must give, written by hand (never computed by the code under test). Between them they give
// every reason, in both modes, at several offices, with keys current, old, revoked, not yet valid,
// deleted and unknown, and data that later feed records overrode or deleted.
import { base32 } from 'rfc4648';
import { mintFromBytes, mintKq1, type SigningKey } from '../../sync/issuing/kq1-issuer.js';
import type { KeyRole } from './keys.js';
import { APPS as A, AS_OF, NOW, OFFICES as O, RECEIVERS as R } from './feed.js';

export interface Expect {
  outcome: 'accepted' | 'rejected' | 'refer';
  reason: string | null;
  /** Receipt numbers that may be collected, sorted. */
  collect: string[];
  /** Receipt numbers left out because they need their own APP code, sorted. */
  excluded: string[];
  codeType: 'APP' | 'AUTH' | 'REG' | 'PWD' | null;
}

export interface SuiteCase {
  name: string;
  /** What the case shows, in a few words. */
  why: string;
  device: { office: string; mode: 'kiosk' | 'counter' };
  now: string;
  text: string;
  expect: Expect;
}

type CodeType = Expect['codeType'];
const accepted = (codeType: CodeType, collect: string[] = [], excluded: string[] = []): Expect => ({ outcome: 'accepted', reason: null, collect, excluded, codeType });
const rejected = (reason: string, codeType: CodeType, excluded: string[] = []): Expect => ({ outcome: 'rejected', reason, collect: [], excluded, codeType });
const refer = (reason: string, codeType: CodeType): Expect => ({ outcome: 'refer', reason, collect: [], excluded: [], codeType });

const unix = (iso: string) => Date.parse(iso) / 1000;
/** Issued an hour before NOW. */
const IAT = unix(NOW) - 3600;
const DAY = 86_400;

export function suiteCases(keys: Record<KeyRole, SigningKey>): SuiteCase[] {
  const cases: SuiteCase[] = [];
  type Device = Partial<SuiteCase['device']>;
  const add = (name: string, why: string, text: (jti: string) => string, expect: Expect, device: Device = {}, now = NOW) =>
    cases.push({ name, why, device: { office: O.kumamoto, mode: 'kiosk', ...device }, now, text: text(`jti-${name}`), expect });

  const app = (rcpt: string, extra: Record<string, unknown> = {}, key = keys.current) => (jti: string) =>
    mintKq1({ typ: 'APP', iat: IAT, jti, rcpt, off: O.kumamoto, proc: 'RENEW', ...extra }, key);
  const auth = (rid: string, proc: string, pwv: number) => (jti: string) => mintKq1({ typ: 'AUTH', iat: IAT, jti, rid, proc, pwv }, keys.current);
  const reg = (rid: string, name: string) => (jti: string) => mintKq1({ typ: 'REG', iat: IAT, jti, rid, name, bid: `IK${rid.slice(1)}` }, keys.current);
  const pwd = (rid: string, name: string, pwv: number) => (jti: string) => mintKq1({ typ: 'PWD', iat: IAT, jti, rid, name, pwv }, keys.current);
  const raw = (payload: string) => () => mintFromBytes(Buffer.from(payload, 'utf8'), keys.current);
  const counter: Device = { mode: 'counter' };

  // 1. The text.
  add('empty', 'nothing scanned', () => '', rejected('MALFORMED', null));
  add('blank_line', 'only whitespace and a line break', () => ' \r\n', rejected('MALFORMED', null));
  add('not_kq1', 'another kind of QR code', () => 'https://example.jp/ticket/123', rejected('MALFORMED', null));
  add('kq2_prefix', 'a later format this kiosk does not read', () => 'KQ2' + app(A.ready)('x').slice(3), rejected('MALFORMED', null));
  add('bad_base32', '0, 1, 8 and 9 are not base32', () => 'KQ1ABC018', rejected('MALFORMED', null));
  add('too_short_for_signature', 'fewer than 64 bytes after KQ1', () => 'KQ1' + base32.stringify(Buffer.from('{"v":1}'), { pad: false }), rejected('MALFORMED', null));
  add('oversized', 'over 4096 characters is refused before decoding', (j) => app(A.ready)(j) + 'A'.repeat(4096), rejected('MALFORMED', null));
  add('payload_not_json', 'signed bytes that are not JSON', raw('not json at all'), rejected('MALFORMED', null));
  add('payload_json_array', 'JSON, but not an object', raw('[1,2,3]'), rejected('MALFORMED', null));
  add('payload_not_utf8', 'bytes that are not UTF-8', () => mintFromBytes(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), keys.current), rejected('MALFORMED', null));
  add('lowercase_caps_lock', 'a wedge scanner with Caps Lock on types lower case', (j) => app(A.ready)(j).toLowerCase(), accepted('APP', [A.ready]));
  add('trailing_crlf_and_spaces', 'scanner terminators and padding are trimmed', (j) => `  ${app(A.ready)(j)}\r\n`, accepted('APP', [A.ready]));
  add('aim_prefix', 'an AIM symbology id ]Q1 before the code', (j) => `]Q1${app(A.ready)(j)}`, accepted('APP', [A.ready]));

  // 2. The payload's version and fields.
  add('version_2', 'v=2 may carry other fields: unsupported, not malformed', raw(`{"v":2,"typ":"APP2","kid":"${keys.current.kid}","whatever":true}`), rejected('UNSUPPORTED_VERSION', null));
  add('version_0_app', 'any integer v other than 1', app(A.ready, { v: 0 }), rejected('UNSUPPORTED_VERSION', 'APP'));
  add('version_as_string', 'v "1" is not the integer 1', app(A.ready, { v: '1' }), rejected('MALFORMED', 'APP'));
  add('version_missing', 'no v at all', app(A.ready, { v: undefined }), rejected('MALFORMED', 'APP'));
  add('type_unknown', 'typ TKT is not a code type', app(A.ready, { typ: 'TKT' }), rejected('MALFORMED', null));
  add('app_without_rcpt', 'a required field missing', app(A.ready, { rcpt: undefined }), rejected('MALFORMED', 'APP'));
  add('iat_as_string', 'a field of the wrong type', app(A.ready, { iat: '2026-11-27' }), rejected('MALFORMED', 'APP'));
  add('pwv_not_integer', 'password version 2.5', auth(R.sakura, 'RENEW', 2.5), rejected('MALFORMED', 'AUTH'));
  add('unknown_extra_field', 'fields the kiosk does not know are ignored', app(A.ready, { note: '予備' }), accepted('APP', [A.ready]));
  add('payload_spacing_kept', 'the signature covers the exact bytes, spaces included', (j) =>
    mintFromBytes(Buffer.from(`{ "typ": "APP", "v": 1, "kid": "${keys.current.kid}", "iat": ${IAT}, "jti": "${j}", "rcpt": "${A.ready}", "off": "${O.kumamoto}", "proc": "RENEW" }`), keys.current),
    accepted('APP', [A.ready]));

  // 3. Trust.
  add('key_unknown', 'signed by a key the feed never published', app(A.ready, {}, keys.stranger), rejected('UNKNOWN_KEY', 'APP'));
  add('key_deleted', 'signed by a key a later feed record deleted', app(A.ready, {}, keys.withdrawn), rejected('UNKNOWN_KEY', 'APP'));
  add('signature_tampered', 'the receipt number changed after signing', (j) => tamper(app(A.ready)(j), A.ready, A.feesUnpaid), rejected('BAD_SIGNATURE', 'APP'));
  add('signature_other_key_same_kid', 'a stranger signs under the current kid', app(A.ready, { kid: keys.current.kid }, keys.stranger), rejected('BAD_SIGNATURE', 'APP'));
  add('key_revoked', 'revoked by a later record; signed before the revocation', app(A.ready, { iat: unix('2026-11-10T00:00:00Z') }, keys.revoked), rejected('KEY_NOT_VALID', 'APP'));
  add('key_old_valid_at_issue', 'an old key keeps the codes it signed in its time', app(A.ready, { iat: unix('2026-01-15T00:00:00Z') }, keys.old), accepted('APP', [A.ready]));
  add('key_old_after_rotation', 'an old key cannot sign new codes', app(A.ready, {}, keys.old), rejected('KEY_NOT_VALID', 'APP'));
  add('key_not_yet_valid', 'a key valid only from 2027', app(A.ready, {}, keys.future), rejected('KEY_NOT_VALID', 'APP'));
  add('trust_before_expiry', 'a revoked key and an expired code: the key decides', app(A.ready, { iat: unix('2026-11-10T00:00:00Z'), exp: unix(NOW) - DAY }, keys.revoked), rejected('KEY_NOT_VALID', 'APP'));

  // 4. The code's own window.
  add('code_expired', 'exp one second ago', app(A.ready, { exp: unix(NOW) - 1 }), rejected('CODE_EXPIRED', 'APP'));
  add('code_exp_exactly_now', 'exp equal to the clock has expired (JWT: invalid from that second on)', app(A.ready, { exp: unix(NOW) }), rejected('CODE_EXPIRED', 'APP'));
  add('code_exp_next_second', 'exp one second ahead is still good', app(A.ready, { exp: unix(NOW) + 1 }), accepted('APP', [A.ready]));
  add('code_from_future', 'issued 301 s ahead of the clock', app(A.ready, { iat: unix(NOW) + 301 }), rejected('CODE_NOT_YET_VALID', 'APP'));
  add('code_small_clock_skew', 'issued 300 s ahead: clock skew is allowed', app(A.ready, { iat: unix(NOW) + 300 }), accepted('APP', [A.ready]));

  // 5. Freshness: 24 h after the data's asOf.
  const stale = new Date(Date.parse(AS_OF) + (DAY + 1) * 1000).toISOString();
  const atLimit = new Date(Date.parse(AS_OF) + DAY * 1000).toISOString();
  add('cache_stale', 'data one second past 24 h old', app(A.ready), refer('CACHE_STALE', 'APP'), {}, stale);
  add('cache_at_limit', 'data exactly 24 h old is still used', app(A.ready), accepted('APP', [A.ready]), {}, atLimit);
  add('cache_stale_auth_at_counter', 'stale data refers every type, in both modes', auth(R.sakura, 'RENEW', 3), refer('CACHE_STALE', 'AUTH'), counter, stale);
  add('malformed_before_stale', 'a bad text is malformed however old the data', () => 'KQ1!!', rejected('MALFORMED', null), {}, stale);
  add('unknown_key_before_stale', 'trust is checked before freshness', app(A.ready, {}, keys.stranger), rejected('UNKNOWN_KEY', 'APP'), {}, stale);

  // 6. APP.
  add('app_ready_kiosk', 'ready and paid, at its office', app(A.ready), accepted('APP', [A.ready]));
  add('app_ready_counter', 'the same code at the counter', app(A.ready), accepted('APP', [A.ready]), counter);
  add('app_ready_at_branch', 'a branch office verifies its own applications', app(A.atYatsushiro, { off: O.yatsushiro }), accepted('APP', [A.atYatsushiro]), { office: O.yatsushiro });
  add('app_ready_osaka', 'another prefecture, another office', app(A.atOsaka, { off: O.osaka }), accepted('APP', [A.atOsaka]), { office: O.osaka });
  add('app_unknown', 'a receipt number not in the cache', app('20261125430199999'), rejected('UNKNOWN_APPLICATION', 'APP'));
  add('app_deleted', 'deleted by a later record', app(A.deleted), rejected('UNKNOWN_APPLICATION', 'APP'));
  add('app_republished', 'deleted, then published again with a newer seq', app(A.republished, { proc: 'CHANGE' }), accepted('APP', [A.republished]));
  add('app_wrong_office', 'designated the Yatsushiro branch', app(A.atYatsushiro, { off: O.yatsushiro }), rejected('WRONG_OFFICE', 'APP'));
  add('app_wrong_office_at_branch', 'a Kumamoto application scanned at the branch', app(A.ready), rejected('WRONG_OFFICE', 'APP'), { office: O.yatsushiro });
  add('app_wrong_office_osaka', 'an Osaka application in Kumamoto', app(A.atOsaka, { off: O.osaka }), rejected('WRONG_OFFICE', 'APP'));
  add('app_office_closed', 'its office was deleted from the feed', app(A.atClosedOffice, { off: O.aso }), rejected('WRONG_OFFICE', 'APP'));
  add('app_already_collected', 'collected', app(A.collected), rejected('ALREADY_COLLECTED', 'APP'));
  add('app_collected_later', 'ready, then collected by a later record', app(A.collectedLater), rejected('ALREADY_COLLECTED', 'APP'));
  add('app_withdrawn', 'withdrawn', app(A.withdrawn), rejected('APPLICATION_CLOSED', 'APP'));
  add('app_rejected', 'rejected by the reviewer', app(A.rejected), rejected('APPLICATION_CLOSED', 'APP'));
  add('app_reviewing', 'still under review', app(A.reviewing), rejected('NOT_READY', 'APP'));
  add('app_correction_requested', 'waiting for a correction', app(A.correctionRequested), rejected('NOT_READY', 'APP'), counter);
  add('app_ready_after_override', 'reviewing, then ready by a later record', app(A.readyLater), accepted('APP', [A.readyLater]));
  add('app_older_line_ignored', 'a line with an older seq further down the file changes nothing', app(A.olderLineIgnored), accepted('APP', [A.olderLineIgnored]));
  add('app_fees_unpaid', 'ready but not paid', app(A.feesUnpaid), rejected('FEES_UNPAID', 'APP'));
  add('app_batch_with_own_code', 'a batch application collected with its own APP code', app(A.sakuraRenewIndividual), accepted('APP', [A.sakuraRenewIndividual]));

  // 6. AUTH.
  const sakura = '株式会社さくら自動車';
  add('auth_collect_with_excluded', 'ready and paid batch applications here; one needs its own code', auth(R.sakura, 'RENEW', 3),
    accepted('AUTH', [A.sakuraRenew1, A.sakuraRenew2], [A.sakuraRenewIndividual]));
  add('auth_collect_at_counter', 'the same code at the counter', auth(R.sakura, 'RENEW', 3), accepted('AUTH', [A.sakuraRenew1, A.sakuraRenew2], [A.sakuraRenewIndividual]), counter);
  add('auth_collect_at_branch', 'only the applications of the scanning office', auth(R.sakura, 'RENEW', 3), accepted('AUTH', [A.sakuraRenewYatsushiro]), { office: O.yatsushiro });
  add('auth_other_procedure', 'one procedure type per code', auth(R.sakura, 'NEW', 3), accepted('AUTH', [A.sakuraNew]));
  add('auth_return_counter', 'a certificate return: a record printout only', auth(R.sakura, 'RETURN', 3), accepted('AUTH', [A.sakuraReturn]), counter);
  add('auth_moved_application', 'an application moved to this receiver by a later record', auth(R.tsubame, 'RENEW', 1), accepted('AUTH', [A.movedToTsubame], [A.tsubameRenewIndividual]));
  add('auth_all_individual', 'every candidate has its own APP code', auth(R.tsubame, 'NEW', 1), rejected('INDIVIDUAL_CODE_REQUIRED', 'AUTH', [A.tsubameNewIndividual]));
  add('auth_nothing_for_procedure', 'no application of that procedure type', auth(R.sakura, 'CHANGE', 3), rejected('NOTHING_TO_COLLECT', 'AUTH'));
  add('auth_nothing_at_this_office', 'an Osaka receiver in Kumamoto', auth(R.naniwa, 'NEW', 1), rejected('NOTHING_TO_COLLECT', 'AUTH'));
  add('auth_osaka', 'the same code at its own office', auth(R.naniwa, 'NEW', 1), accepted('AUTH', [A.naniwaNew]), { office: O.osaka });
  add('auth_old_password', 'printed before the password change a later record applied', auth(R.sakura, 'RENEW', 2), rejected('PASSWORD_CHANGED', 'AUTH'));
  add('auth_password_ahead_of_cache', 'a newer password than the cache knows', auth(R.sakura, 'RENEW', 4), refer('CACHE_BEHIND', 'AUTH'));
  add('auth_unknown_receiver', 'a receiver the cache does not hold', auth('R99999999', 'RENEW', 1), rejected('UNKNOWN_RECEIVER', 'AUTH'));
  add('auth_removed_receiver', 'a receiver a later record deleted', auth(R.removed, 'RENEW', 1), rejected('UNKNOWN_RECEIVER', 'AUTH'));
  add('auth_suspended', 'a suspended receiver, whatever it may collect', auth(R.suspended, 'RENEW', 2), rejected('RECEIVER_NOT_ACTIVE', 'AUTH'));
  add('auth_pending', 'registered but not yet active', auth(R.pending, 'RENEW', 0), rejected('RECEIVER_NOT_ACTIVE', 'AUTH'), counter);
  add('auth_closed_receiver', 'status deleted', auth(R.closed, 'RENEW', 4), rejected('RECEIVER_NOT_ACTIVE', 'AUTH'));

  // 6. REG.
  add('reg_at_kiosk', 'registration needs documents at a counter', reg(R.pending, '株式会社ひかりオート'), refer('COUNTER_ONLY', 'REG'));
  add('reg_pending_at_counter', 'a pending receiver', reg(R.pending, '株式会社ひかりオート'), accepted('REG'), counter);
  add('reg_new_at_counter', 'a receiver the cache has never seen', reg('R31000099', '新星自動車株式会社'), accepted('REG'), counter);
  add('reg_removed_at_counter', 'a receiver a later record deleted', reg(R.removed, 'やまびこ自動車株式会社'), accepted('REG'), counter);
  add('reg_suspended_at_counter', 'only an active receiver is already registered', reg(R.suspended, '合同会社かえで整備'), accepted('REG'), counter);
  add('reg_already_active', 'an active receiver', reg(R.sakura, sakura), rejected('ALREADY_REGISTERED', 'REG'), counter);
  add('reg_at_osaka_counter', 'any office counter may register', reg(R.closed, '旧やなぎ商会'), accepted('REG'), { office: O.osaka, mode: 'counter' });

  // 6. PWD.
  add('pwd_at_kiosk', 'a password change needs a counter', pwd(R.sakura, sakura, 4), refer('COUNTER_ONLY', 'PWD'));
  add('pwd_next_version', 'one past the cached version', pwd(R.sakura, sakura, 4), accepted('PWD'), counter);
  add('pwd_already_applied', 'the version the cache already has', pwd(R.sakura, sakura, 3), rejected('PASSWORD_CHANGE_ALREADY_APPLIED', 'PWD'), counter);
  add('pwd_older_version', 'a version before the current one', pwd(R.sakura, sakura, 2), rejected('PASSWORD_CHANGE_ALREADY_APPLIED', 'PWD'), counter);
  add('pwd_two_ahead', 'a change the cache has not seen the one before', pwd(R.sakura, sakura, 5), refer('CACHE_BEHIND', 'PWD'), counter);
  add('pwd_unknown_receiver', 'a receiver a later record deleted', pwd(R.removed, 'やまびこ自動車株式会社', 2), rejected('UNKNOWN_RECEIVER', 'PWD'), counter);
  add('pwd_suspended', 'a suspended receiver', pwd(R.suspended, '合同会社かえで整備', 3), rejected('RECEIVER_NOT_ACTIVE', 'PWD'), counter);
  add('pwd_at_branch_counter', 'at the branch counter', pwd(R.tsubame, '有限会社つばめモータース', 2), accepted('PWD'), { office: O.yatsushiro, mode: 'counter' });

  return cases;
}

/** The same code with `from` replaced by `to` (same length) in the payload and the signature kept. */
function tamper(text: string, from: string, to: string): string {
  const bytes = Buffer.from(base32.parse(text.slice(3), { loose: true }));
  const payload = bytes.subarray(0, bytes.length - 64).toString('utf8');
  if (!payload.includes(from) || from.length !== to.length) throw new Error('tamper: nothing to replace');
  return 'KQ1' + base32.stringify(Buffer.concat([Buffer.from(payload.replace(from, to)), bytes.subarray(bytes.length - 64)]), { pad: false });
}
