// The office's wall clock, in one place: the ticket day, opening hours, and times on screen and
// paper all read it. The zone is configured (KIOSK_TIMEZONE, an IANA name, default Asia/Tokyo)
// rather than taken from the machine, which kiosks often leave at UTC.
import { KioskError } from '../errors.js';

export const DEFAULT_TIME_ZONE = 'Asia/Tokyo';

const MINUTE_MS = 60_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export interface WallTime {
  /** YYYY-MM-DD */
  day: string;
  /** 0 (Sunday) – 6 */
  weekday: number;
  /** Minutes since local midnight. */
  minute: number;
}

export class OfficeClock {
  private readonly parts: Intl.DateTimeFormat;
  /** The last instant wall() was asked for, and its answer. */
  private lastWall: { ms: number; wall: WallTime } | null = null;

  constructor(readonly timeZone: string = DEFAULT_TIME_ZONE) {
    try {
      this.parts = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      throw new KioskError(`bad configuration: KIOSK_TIMEZONE: not an IANA time zone (got ${JSON.stringify(timeZone)})`, 'CONFIG_INVALID');
    }
  }

  /** The office day of an instant, YYYY-MM-DD: ticket numbers restart with it. */
  day(at: Date): string {
    return this.wall(at).day;
  }

  wall(at: Date): WallTime {
    // A scan asks for the wall time of one instant several times (ticket day, queue, hours).
    if (this.lastWall?.ms !== at.getTime()) {
      const p = this.fields(at);
      this.lastWall = { ms: at.getTime(), wall: { day: `${p.year}-${p.month}-${p.day}`, weekday: WEEKDAYS.indexOf(p.weekday), minute: Number(p.hour) * 60 + Number(p.minute) } };
    }
    return { ...this.lastWall.wall };
  }

  /** The instant of a wall-clock minute on an office day (DST-safe: the zone's offset is looked up at that instant). */
  at(day: string, minute: number): Date {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const asUtc = Date.UTC(y, m - 1, d) + minute * MINUTE_MS;
    let t = asUtc - this.offsetMs(new Date(asUtc));
    t = asUtc - this.offsetMs(new Date(t)); // once more, in case the offset changes in between
    return new Date(t);
  }

  /** The office day after `day`. */
  nextDay(day: string): string {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  }

  /** Weekday of an office day, 0 (Sunday) – 6. */
  weekdayOf(day: string): number {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  }

  /** "12月3日(木) 09:30" / "Thu 3 Dec 09:30": an instant as people at the office read it. */
  format(at: Date, locale: 'ja' | 'en'): string {
    return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
      timeZone: this.timeZone,
      month: locale === 'ja' ? 'numeric' : 'short',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(at);
  }

  /** Local wall time minus UTC at an instant. */
  private offsetMs(at: Date): number {
    const p = this.fields(at);
    const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
    return wall - Math.floor(at.getTime() / 1000) * 1000;
  }

  private fields(at: Date): Record<'year' | 'month' | 'day' | 'weekday' | 'hour' | 'minute' | 'second', string> {
    return Object.fromEntries(this.parts.formatToParts(at).map((p) => [p.type, p.value])) as Record<'year' | 'month' | 'day' | 'weekday' | 'hour' | 'minute' | 'second', string>;
  }
}
