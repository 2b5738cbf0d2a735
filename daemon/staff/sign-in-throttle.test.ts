import { describe, expect, it } from 'vitest';
import { isKioskError, type KioskError } from '../errors.js';
import { SIGN_IN_LIMITS, SignInThrottle, sourceOf } from './sign-in-throttle.js';

const MIN = 60_000;

/** One attempt that fails its PIN check: the error it is answered with. */
function fail(throttle: SignInThrottle, source: string, id: string, t: number): KioskError {
  try {
    return throttle.admit(source, id, t).failed(t);
  } catch (e) {
    if (isKioskError(e)) return e;
    throw e;
  }
}
const succeed = (throttle: SignInThrottle, source: string, id: string, t: number) => throttle.admit(source, id, t).succeeded(t);

describe('sourceOf', () => {
  it('is the IPv4 address, the IPv4 of a mapped address, or the /64 of an IPv6 address', () => {
    expect(sourceOf('192.168.10.7')).toBe('192.168.10.7');
    expect(sourceOf('::ffff:192.168.10.7')).toBe('192.168.10.7');
    expect(sourceOf('fd00:1:2:3:aaaa::1')).toBe('fd00:1:2:3::/64');
    expect(sourceOf('fd00:1:2:3:bbbb:cccc:dddd:eeee')).toBe('fd00:1:2:3::/64');
    expect(sourceOf('FD00:0001:0002:0003::9%eth0')).toBe('fd00:1:2:3::/64');
    expect(sourceOf('fd00::1')).toBe('fd00:0:0:0::/64');
    expect(sourceOf('::1')).toBe('0:0:0:0::/64');
    expect(sourceOf(undefined)).toBe('local');
  });
});

describe('SignInThrottle', () => {
  it('locks one id on one source after 5 failures; other ids there and that id elsewhere go on', () => {
    const th = new SignInThrottle();
    for (let i = 0; i < 4; i++) expect(fail(th, 'A', 's1', i).code).toBe('UNAUTHORIZED');
    const fifth = fail(th, 'A', 's1', 4);
    expect([fifth.code, fifth.context['scope'], fifth.context['retryAfterSeconds']]).toEqual(['LOCKED_OUT', 'pair', 15 * 60]);
    expect(() => th.admit('A', 's1', 4 + 10 * MIN)).toThrow(/this staff id on this device; try again in 5 min/);
    expect(fail(th, 'A', 's2', 10 * MIN).code).toBe('UNAUTHORIZED');
    expect(() => succeed(th, 'B', 's1', 10 * MIN)).not.toThrow();
    expect(() => succeed(th, 'A', 's1', 4 + 15 * MIN)).not.toThrow();
  });

  it('throttles a source after 20 failures across ids, for every id', () => {
    const th = new SignInThrottle();
    for (let i = 0; i < 19; i++) expect(fail(th, 'A', `id${i}`, i).code).toBe('UNAUTHORIZED');
    expect(fail(th, 'A', 'id19', 19).context['scope']).toBe('source');
    expect(() => th.admit('A', 's1', 20)).toThrow(/from this device/);
    expect(() => succeed(th, 'B', 's1', 20)).not.toThrow();
  });

  it('locks an id everywhere after 30 failures from several sources, but not where it signed in before', () => {
    const th = new SignInThrottle();
    succeed(th, 'counter', 's1', 0);
    for (let m = 0; m < 6; m++) for (let i = 0; i < 5; i++) fail(th, `m${m}`, 's1', MIN);
    const held = (() => {
      try {
        th.admit('new', 's1', 2 * MIN);
      } catch (e) {
        return e as KioskError;
      }
      return null;
    })();
    expect([held?.code, held?.context['scope']]).toEqual(['LOCKED_OUT', 'account']);
    expect(() => succeed(th, 'counter', 's1', 2 * MIN)).not.toThrow();
    // The counter's wrong PIN is a plain failure, not a lock.
    expect(fail(th, 'counter', 's1', 2 * MIN).code).toBe('UNAUTHORIZED');
  });

  it('one source alone cannot lock an id everywhere, however long it keeps trying', () => {
    const th = new SignInThrottle();
    for (let t = 0; t < 24 * 60 * MIN; t += MIN) {
      try {
        th.admit('A', 's1', t).failed(t);
      } catch {
        /* held: that is the point */
      }
    }
    expect(() => succeed(th, 'B', 's1', 24 * 60 * MIN)).not.toThrow();
  });

  it('a lock outlives its counting window: a trusted source failing meanwhile does not unlock the id', () => {
    const th = new SignInThrottle();
    succeed(th, 'counter', 's1', 0);
    // 30 failures spread over 14 minutes: the lock comes at minute 14 and lasts until minute 29.
    for (let m = 0; m < 6; m++) for (let i = 0; i < 5; i++) fail(th, `m${m}`, 's1', (m * 5 + i) * 28_000);
    fail(th, 'counter', 's1', 20 * MIN); // the window (from minute 0) is over, the lock is not
    expect(() => th.admit('new', 's1', 21 * MIN)).toThrow(/LOCKED_OUT|too many/);
  });

  it('parallel attempts are counted before their checks; a cancelled one is not counted', () => {
    const th = new SignInThrottle();
    const attempts = Array.from({ length: 5 }, () => th.admit('A', 's1', 0));
    expect(() => th.admit('A', 's1', 0)).toThrow(/too many/);
    for (const a of attempts) a.cancelled();
    for (let i = 0; i < 4; i++) expect(fail(th, 'A', 's1', 1).code).toBe('UNAUTHORIZED');
  });

  it('keeps at most maxEntries per table, forgetting the oldest', () => {
    const th = new SignInThrottle({ ...SIGN_IN_LIMITS, maxEntries: 10, perSource: 1000 });
    for (let i = 0; i < 5; i++) fail(th, 'A', 's1', 0);
    expect(() => th.admit('A', 's1', 1)).toThrow();
    // Ten more (id, source) pairs push the oldest out.
    for (let i = 0; i < 10; i++) fail(th, 'A', `other${i}`, 2);
    expect(() => succeed(th, 'A', 's1', 3)).not.toThrow();
  });
});
