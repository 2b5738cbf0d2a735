import { describe, expect, it } from 'vitest';
import { isKioskError } from '../errors.js';
import { closingTime, isClosedDay, isOpen, nextOpening, parseOpeningHours } from './hours.js';
import { OfficeClock } from './office-clock.js';

// 2026-11-30 is a Monday; times are UTC, Japan is UTC+9.
const at = (jst: string) => new Date(`${jst}+09:00`);

describe('opening hours', () => {
  const h = parseOpeningHours('Mon-Fri 08:45-12:00,13:00-16:00; Sat 09:00-11:00', '2026-12-31');

  it.each([
    ['2026-11-30T08:44', false],
    ['2026-11-30T08:45', true],
    ['2026-11-30T12:30', false],
    ['2026-11-30T15:59', true],
    ['2026-11-30T16:00', false],
    ['2026-12-05T10:00', true],
    ['2026-12-06T10:00', false],
    ['2026-12-31T10:00', false],
  ])('%s JST open: %s', (time, open) => expect(isOpen(h, at(time))).toBe(open));

  it('says when it opens next and when it closes', () => {
    expect(nextOpening(h, at('2026-11-30T12:10'))).toEqual(at('2026-11-30T13:00'));
    expect(nextOpening(h, at('2026-12-30T17:00'))).toEqual(at('2027-01-04T08:45')); // over the year-end closure (29 Dec – 3 Jan)
    expect(closingTime(h, at('2026-11-30T09:00'))).toEqual(at('2026-11-30T12:00'));
    expect(nextOpening(h, at('2026-11-30T13:30'))).toEqual(at('2026-11-30T13:30')); // open now
  });

  it('windows that touch across midnight are one opening; open around the clock has no closing time', () => {
    const night = parseOpeningHours('Mon 20:00-24:00; Tue 00:00-02:00', undefined);
    expect(closingTime(night, at('2026-11-30T23:00'))).toEqual(at('2026-12-01T02:00'));
    const always = parseOpeningHours('Mon-Sun 00:00-24:00', undefined);
    expect(closingTime(always, at('2026-11-30T23:00'))).toBeNull();
    expect(nextOpening(always, at('2026-11-30T23:00'))).toEqual(at('2026-11-30T23:00'));
    expect(nextOpening(parseOpeningHours('Mon 09:00-10:00', undefined), at('2026-11-30T10:30'))).toEqual(at('2026-12-07T09:00'));
  });

  it('unset hours are always open, except holidays', () => {
    const always = parseOpeningHours(undefined, '2026-12-31');
    expect([isOpen(always, at('2026-11-29T03:00')), isOpen(always, at('2026-12-31T10:00'))]).toEqual([true, false]);
  });

  it('with hours configured, national holidays and the year-end closure close the office without being listed', () => {
    const plain = parseOpeningHours('Mon-Fri 08:45-16:00', undefined);
    expect(isOpen(plain, at('2027-01-11T10:00'))).toBe(false); // 成人の日 (2nd Monday of January)
    expect(isOpen(plain, at('2026-09-22T10:00'))).toBe(false); // 国民の休日 between two holidays
    expect(isOpen(plain, at('2026-05-06T10:00'))).toBe(false); // 振替休日
    expect(isOpen(plain, at('2026-12-29T10:00'))).toBe(false); // year-end closure
    expect(isOpen(plain, at('2026-12-28T10:00'))).toBe(true);
    expect(isClosedDay(plain, '2027-01-04')).toBe(false);
    // Always-open (no hours): only the office's own closures apply.
    expect(isOpen(parseOpeningHours(undefined, undefined), at('2027-01-11T10:00'))).toBe(true);
  });

  it('follows the configured time zone, across a daylight-saving change', () => {
    const ny = new OfficeClock('America/New_York');
    const h = parseOpeningHours('Mon-Fri 09:00-17:00', undefined, ny);
    // 2026-11-02 (Mon) is the first weekday after the 1 November change to EST (UTC-5).
    expect(isOpen(h, new Date('2026-11-02T13:59:00Z'))).toBe(false);
    expect(isOpen(h, new Date('2026-11-02T14:00:00Z'))).toBe(true);
    expect(nextOpening(h, new Date('2026-10-30T22:00:00Z'))).toEqual(new Date('2026-11-02T14:00:00Z')); // Fri evening EDT → Mon 09:00 EST
    expect(closingTime(h, new Date('2026-10-30T15:00:00Z'))).toEqual(new Date('2026-10-30T21:00:00Z')); // 17:00 EDT
    expect(ny.day(new Date('2026-11-02T04:30:00Z'))).toBe('2026-11-01');
    expect(new OfficeClock('Asia/Tokyo').day(new Date('2026-11-01T15:00:00Z'))).toBe('2026-11-02');
  });

  it('refuses a time zone that is not one', () => {
    expect(() => new OfficeClock('Mars/Olympus')).toThrow(/KIOSK_TIMEZONE/);
  });

  it.each(['weekdays', 'Mon-Fri 9-17', 'Mon-Fri 17:00-09:00', 'Xyz 08:00-09:00'])('refuses %j naming KIOSK_HOURS', (bad) => {
    const e = (() => {
      try {
        parseOpeningHours(bad, undefined);
      } catch (err) {
        return err;
      }
    })();
    expect(isKioskError(e, 'CONFIG_INVALID') && (e as Error).message).toContain('KIOSK_HOURS');
  });
});
