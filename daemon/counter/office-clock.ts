// Office-local time: ticket numbering restarts each day, and opening hours are local. The offices
// are in Japan; the zone is a constant here rather than the machine's TZ, which kiosks often leave at UTC.
export const OFFICE_TIME_ZONE = 'Asia/Tokyo';

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: OFFICE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const partsFormat = new Intl.DateTimeFormat('en-GB', { timeZone: OFFICE_TIME_ZONE, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** YYYY-MM-DD in the office's zone. */
export function officeDay(at: Date): string {
  return dayFormat.format(at);
}

/** Weekday 0 (Sun) – 6 and minutes since local midnight. */
export function officeWeekdayAndMinute(at: Date): { weekday: number; minute: number } {
  const parts = Object.fromEntries(partsFormat.formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts['weekday'] ?? '');
  return { weekday, minute: Number(parts['hour']) * 60 + Number(parts['minute']) };
}
