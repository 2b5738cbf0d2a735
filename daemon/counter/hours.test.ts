import { describe, expect, it } from 'vitest';
import { isKioskError } from '../errors.js';
import { closingTime, isOpen, nextOpening, parseOpeningHours } from './hours.js';

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
    expect(nextOpening(h, at('2026-12-30T17:00'))).toEqual(at('2027-01-01T08:45')); // over the holiday
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
