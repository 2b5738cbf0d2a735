// Office hours (Art. 8): outside them the kiosk still verifies codes but issues no tickets and says
// when the counter opens. KIOSK_HOURS: "Mon-Fri 08:45-12:00,13:00-16:00; Sat 09:00-12:00";
// KIOSK_HOLIDAYS: "2026-12-29,2026-12-30". Unset hours = always open.
import { KioskError } from '../errors.js';
import { officeDay, officeWeekdayAndMinute } from './office-clock.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface OpeningHours {
  /** Per weekday (0 = Sunday): [startMinute, endMinute) windows. */
  windows: [number, number][][];
  holidays: Set<string>;
  alwaysOpen: boolean;
}

export function parseOpeningHours(hours: string | undefined, holidays: string | undefined): OpeningHours {
  const windows: [number, number][][] = DAYS.map(() => []);
  const bad = (why: string) => new KioskError(`bad configuration: KIOSK_HOURS: ${why} (got ${JSON.stringify(hours)})`, 'CONFIG_INVALID');
  for (const entry of (hours ?? '').split(';').map((e) => e.trim()).filter(Boolean)) {
    const m = /^([A-Za-z,-]+)\s+(.+)$/.exec(entry);
    if (!m) throw bad(`"${entry}" is not "<days> HH:MM-HH:MM"`);
    const days = expandDays(m[1]!.toLowerCase());
    if (!days) throw bad(`unknown days "${m[1]}"`);
    for (const range of m[2]!.split(',')) {
      const r = /^\s*(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\s*$/.exec(range);
      if (!r) throw bad(`"${range}" is not HH:MM-HH:MM`);
      const [start, end] = [Number(r[1]) * 60 + Number(r[2]), Number(r[3]) * 60 + Number(r[4])];
      if (!(start < end && end <= 24 * 60)) throw bad(`"${range}" does not run forwards within a day`);
      for (const d of days) windows[d]!.push([start, end]);
    }
  }
  const holidayList = (holidays ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  for (const h of holidayList) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(h)) throw new KioskError(`bad configuration: KIOSK_HOLIDAYS: "${h}" is not YYYY-MM-DD`, 'CONFIG_INVALID');
  }
  return { windows, holidays: new Set(holidayList), alwaysOpen: !hours?.trim() };
}

function expandDays(spec: string): number[] | null {
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const [a, b] = part.split('-').map((d) => DAYS.indexOf(d.slice(0, 3)));
    if (a === undefined || a < 0 || (b !== undefined && b < 0)) return null;
    for (let d = a; ; d = (d + 1) % 7) {
      out.push(d);
      if (b === undefined || d === b) break;
    }
  }
  return out;
}

export function isOpen(h: OpeningHours, at: Date): boolean {
  if (h.alwaysOpen) return !h.holidays.has(officeDay(at));
  if (h.holidays.has(officeDay(at))) return false;
  const { weekday, minute } = officeWeekdayAndMinute(at);
  return h.windows[weekday]!.some(([s, e]) => minute >= s && minute < e);
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Japan has no daylight saving time: local midnight is a fixed offset from UTC. */
const OFFICE_UTC_OFFSET_MS = 9 * 3_600_000;

function localMidnight(t: number): number {
  return Math.floor((t + OFFICE_UTC_OFFSET_MS) / DAY_MS) * DAY_MS - OFFICE_UTC_OFFSET_MS;
}

/** Windows of the office day starting at `midnight` (none on a holiday). */
function windowsOn(h: OpeningHours, midnight: number): [number, number][] {
  if (h.holidays.has(officeDay(new Date(midnight + 3_600_000)))) return [];
  if (h.alwaysOpen) return [[0, 24 * 60]];
  const weekday = new Date(midnight + OFFICE_UTC_OFFSET_MS).getUTCDay();
  return [...h.windows[weekday]!].sort((a, b) => a[0] - b[0]);
}

/** The next moment the counter opens (up to three weeks ahead), or null. Arithmetic on the windows, no minute-by-minute search. */
export function nextOpening(h: OpeningHours, from: Date): Date | null {
  const today = localMidnight(from.getTime());
  const minuteNow = (from.getTime() - today) / MINUTE_MS;
  for (let day = 0; day < 21; day++) {
    const midnight = today + day * DAY_MS;
    for (const [start, end] of windowsOn(h, midnight)) {
      if (day === 0 && end <= minuteNow) continue;
      return new Date(day === 0 && start <= minuteNow ? from.getTime() : midnight + start * MINUTE_MS);
    }
  }
  return null;
}

/** When the current opening ends (windows that touch are one), or null when closed or open around the clock. */
export function closingTime(h: OpeningHours, from: Date): Date | null {
  if (h.alwaysOpen || !isOpen(h, from)) return null;
  let midnight = localMidnight(from.getTime());
  let minute = (from.getTime() - midnight) / MINUTE_MS;
  for (let day = 0; day < 8; day++) {
    for (const [start, end] of windowsOn(h, midnight)) if (start <= minute && end > minute) minute = end;
    if (minute < 24 * 60) return new Date(midnight + minute * MINUTE_MS);
    midnight += DAY_MS;
    minute = 0;
    if (!windowsOn(h, midnight).some(([start]) => start === 0)) return new Date(midnight);
  }
  return null;
}
