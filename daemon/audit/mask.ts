// Masking for logs and the audit log: codes, receiver names and receipt numbers never appear whole
// (docs/decision-table.md).
import { createHmac } from 'node:crypto';

const MASK = '＊';

/** Keep the first 2 characters of a name, mask the rest ('株式会社みなと自動車' → '株式＊＊＊＊＊＊＊＊'); a shorter name keeps one less than its length. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  const keep = Math.min(2, chars.length - 1);
  return chars.slice(0, keep).join('') + MASK.repeat(chars.length - keep);
}

/** The first 6 characters of a scanned code, an ellipsis and its length ('KQ1PMR…(309)'); a short text keeps at most half. */
export function maskCode(text: string): string {
  const chars = Array.from(text);
  const keep = Math.min(6, Math.floor(chars.length / 2));
  return `${chars.slice(0, keep).join('')}…(${chars.length})`;
}

/** Keep the last 4 characters of a receipt number ('12345678901234567' → '*************4567'); a short one keeps at most half. */
export function maskReceipt(receiptNumber: string): string {
  const chars = Array.from(receiptNumber.trim());
  const keep = Math.min(4, Math.floor(chars.length / 2));
  return '*'.repeat(chars.length - keep) + chars.slice(chars.length - keep).join('');
}

/**
 * A receipt number as the audit log keeps it: masked, plus a tag that finds it again —
 * '*************4567#1f3a9c0b2e' — the first 10 hex digits of HMAC-SHA256 under this log's own key,
 * so `kiosk audit find --receipt N` can compute the tag but the log alone cannot be brute-forced back
 * into receipt numbers (17 digits with a date inside are few enough to guess through a plain hash).
 */
export function receiptRef(receiptNumber: string, key: Buffer): string {
  const tag = createHmac('sha256', key).update(receiptNumber.trim(), 'utf8').digest('hex').slice(0, RECEIPT_TAG_HEX);
  return `${maskReceipt(receiptNumber)}#${tag}`;
}
const RECEIPT_TAG_HEX = 10;
