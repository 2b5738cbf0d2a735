// Office hours (Art. 8): outside them the kiosk still verifies codes but issues no tickets and says
// when the counter opens. KIOSK_HOURS: "Mon-Fri 08:45-12:00,13:00-16:00; Sat 09:00-12:00", in
// office time (KIOSK_TIMEZONE). With hours configured, the office is also closed on the days
// government offices close (national holidays, from @holiday-jp/holiday_jp, and 29 December to
// 3 January); KIOSK_HOLIDAYS adds the office's own closures ("2026-12-29,2026-12-30"). Unset hours
// mean always open (the demo, tests) except KIOSK_HOLIDAYS.
import holidayJp from '@holiday-jp/holiday_jp';
import { KioskError } from '../errors.js';
import { OfficeClock } from './office-clock.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface OpeningHours {
  clock: OfficeClock;
  /** Per weekday (0 = Sunday): [startMinute, endMinute) windows. */
  windows: [number, number][][];
  /** The office's own closures (KIOSK_HOLIDAYS). */
  holidays: Set<string>;
  alwaysOpen: boolean;
}

export function parseOpeningHours(hours: string | undefined, holidays: string | undefined, clock = new OfficeClock()): OpeningHours {
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
  return { clock, windows, holidays: new Set(holidayList), alwaysOpen: !hours?.trim() };
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

/** A day the office is closed all day: its own closures, and with configured hours the government calendar. */
export function isClosedDay(h: OpeningHours, day: string): boolean {
  if (h.holidays.has(day)) return true;
  return !h.alwaysOpen && isGovernmentHoliday(day);
}

/** National holidays (substitute and citizens' holidays included) and the year-end closure, 29 Dec – 3 Jan. */
export function isGovernmentHoliday(day: string): boolean {
  const monthDay = day.slice(5);
  return day in holidayJp.holidays || monthDay >= '12-29' || monthDay <= '01-03';
}

export function isOpen(h: OpeningHours, at: Date): boolean {
  const { day, weekday, minute } = h.clock.wall(at);
  if (isClosedDay(h, day)) return false;
  return h.alwaysOpen || h.windows[weekday]!.some(([s, e]) => minute >= s && minute < e);
}

/** Windows of an office day, earliest first (none on a closed day). */
function windowsOn(h: OpeningHours, day: string): [number, number][] {
  if (isClosedDay(h, day)) return [];
  if (h.alwaysOpen) return [[0, 24 * 60]];
  return [...h.windows[h.clock.weekdayOf(day)]!].sort((a, b) => a[0] - b[0]);
}

/** The next moment the counter opens (up to three weeks ahead), or null. Arithmetic on the windows, no minute-by-minute search. */
export function nextOpening(h: OpeningHours, from: Date): Date | null {
  const now = h.clock.wall(from);
  let day = now.day;
  for (let i = 0; i < 21; i++, day = h.clock.nextDay(day)) {
    for (const [start, end] of windowsOn(h, day)) {
      if (i === 0 && end <= now.minute) continue;
      return i === 0 && start <= now.minute ? from : h.clock.at(day, start);
    }
  }
  return null;
}

/** When the current opening ends (windows that touch are one), or null when closed or open around the clock. */
export function closingTime(h: OpeningHours, from: Date): Date | null {
  if (h.alwaysOpen || !isOpen(h, from)) return null;
  let { day, minute } = h.clock.wall(from);
  for (let i = 0; i < 8; i++) {
    for (const [start, end] of windowsOn(h, day)) if (start <= minute && end > minute) minute = end;
    if (minute < 24 * 60) return h.clock.at(day, minute);
    day = h.clock.nextDay(day);
    minute = 0;
    if (!windowsOn(h, day).some(([start]) => start === 0)) return h.clock.at(day, 0);
  }
  return null;
}
