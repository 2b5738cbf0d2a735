import { describe, expect, it } from 'vitest';
import { FailedAuthThrottle } from './auth-throttle.js';

describe('FailedAuthThrottle', () => {
  it('blocks an address after maxFailures within the window, for blockMs, and forgets old failures', () => {
    let now = 0;
    const t = new FailedAuthThrottle({ maxFailures: 3, windowMs: 1000, blockMs: 5000 }, () => now);
    t.failed('a');
    t.failed('a');
    expect(t.blockedFor('a')).toBe(0);
    now = 1500; // the window passed: counting starts again
    t.failed('a');
    t.failed('a');
    expect(t.blockedFor('a')).toBe(0);
    t.failed('a');
    expect(t.blockedFor('a')).toBe(5000);
    expect(t.blockedFor('b')).toBe(0);
    now = 6500;
    expect(t.blockedFor('a')).toBe(0);
  });

  it('tracks a bounded number of addresses, forgetting the least recently failing first', () => {
    const t = new FailedAuthThrottle({ maxFailures: 1, blockMs: 1000, maxTracked: 2 }, () => 0);
    t.failed('a');
    t.failed('b');
    t.failed('a');
    t.failed('c');
    expect([t.blockedFor('a'), t.blockedFor('b'), t.blockedFor('c')]).toEqual([1000, 0, 1000]);
  });
});
