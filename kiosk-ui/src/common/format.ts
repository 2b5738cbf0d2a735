// Dates and times as people in the office read them: the office's wall clock, whose zone the
// daemon sends with its state (KioskState.office.timeZone); Asia/Tokyo until the first state.
let TZ = 'Asia/Tokyo';

/** Called by the connections when a state arrives. */
export function setOfficeTimeZone(timeZone: string): void {
  TZ = timeZone;
}

/** 14:05 */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleTimeString('ja-JP', { timeZone: TZ, hour: '2-digit', minute: '2-digit' });
}

/** 2025/11/27 14:05 */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString('ja-JP', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** 2025年11月27日 */
export function formatDateJa(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleDateString('ja-JP', { timeZone: TZ, year: 'numeric', month: 'long', day: 'numeric' });
}

/** 2025年11月27日 / 27 Nov 2025 */
export function formatDate(iso: string | null | undefined, lang: 'ja' | 'en'): string {
  if (lang === 'ja') return formatDateJa(iso);
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleDateString('en-GB', { timeZone: TZ, year: 'numeric', month: 'short', day: 'numeric' });
}

/** "opens at" in both languages: today → time only, else date and time. */
export function formatOpensAt(iso: string | null | undefined, now = new Date()): { ja: string; en: string } {
  if (!iso) return { ja: '', en: '' };
  const d = new Date(iso);
  const sameDay = d.toLocaleDateString('ja-JP', { timeZone: TZ }) === now.toLocaleDateString('ja-JP', { timeZone: TZ });
  const ja = sameDay ? formatTime(iso) : formatDateTime(iso);
  const en = sameDay
    ? d.toLocaleTimeString('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString('en-GB', { timeZone: TZ, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  return { ja, en };
}
