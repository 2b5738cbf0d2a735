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

/** The next moment the counter opens (minute resolution, up to three weeks ahead), or null. */
export function nextOpening(h: OpeningHours, from: Date): Date | null {
  const start = Math.ceil(from.getTime() / 60_000) * 60_000;
  for (let t = start; t < start + 21 * 86_400_000; t += 60_000) {
    const at = new Date(t);
    if (isOpen(h, at)) return at;
  }
  return null;
}

/** When the current opening window ends, or null when closed (or always open). */
export function closingTime(h: OpeningHours, from: Date): Date | null {
  if (h.alwaysOpen || !isOpen(h, from)) return null;
  let t = Math.floor(from.getTime() / 60_000) * 60_000;
  while (isOpen(h, new Date(t + 60_000))) t += 60_000;
  return new Date(t + 60_000);
}
