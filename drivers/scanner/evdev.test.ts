import { describe, expect, it } from 'vitest';
import { EV_KEY, parseInputEvents } from './evdev.js';
import { WedgeKeys } from './wedge-keys.js';

// Two records as a 64-bit kernel writes them: 16 bytes of timeval, then type, code, value (LE).
const RECORD_64 = [
  // time: 1700000000 s, 123456 µs
  0x00, 0xf1, 0x53, 0x65, 0x00, 0x00, 0x00, 0x00, 0x40, 0xe2, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x1e, 0x00, 0x01, 0x00, 0x00, 0x00, // EV_KEY KEY_A press
  0x00, 0xf1, 0x53, 0x65, 0x00, 0x00, 0x00, 0x00, 0x40, 0xe2, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // EV_SYN
];

describe('evdev input_event parsing', () => {
  it('parses 24-byte records and keeps an incomplete tail', () => {
    const buf = Buffer.from([...RECORD_64, 0x01, 0x02, 0x03]);
    const { events, rest } = parseInputEvents(buf, 24);
    expect(events).toEqual([
      { type: EV_KEY, code: 30, value: 1 },
      { type: 0, code: 0, value: 0 },
    ]);
    expect([...rest]).toEqual([1, 2, 3]);
  });

  it('parses 16-byte records of a 32-bit kernel', () => {
    const rec = [0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x00, 0x00];
    expect(parseInputEvents(Buffer.from(rec), 16).events).toEqual([{ type: 1, code: 28, value: 0 }]);
  });

  it('reads negative values (relative axes) as signed', () => {
    const rec = [0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff];
    expect(parseInputEvents(Buffer.from(rec), 16).events[0]!.value).toBe(-1);
  });
});

describe('wedge key mapping', () => {
  const press = (code: number) => [{ type: EV_KEY, code, value: 1 }, { type: EV_KEY, code, value: 0 }];
  const shifted = (code: number) => [{ type: EV_KEY, code: 42, value: 1 }, ...press(code), { type: EV_KEY, code: 42, value: 0 }];

  it('types letters with shift and caps lock, digits, and Enter as CR', () => {
    const k = new WedgeKeys('us');
    const events = [...shifted(37), ...shifted(16), ...press(2), ...press(30), ...press(58), ...press(48), ...press(28)];
    expect(k.feed(events)).toBe('KQ1aB\r');
  });

  it('maps the keys where JIS 106 and US differ', () => {
    // key 26, key 40, shift+2, shift+key 89 (ろ), key 27, key 43
    const seq = [...press(26), ...shifted(40), ...shifted(3), ...shifted(89), ...press(27), ...press(43)];
    expect(new WedgeKeys('jis').feed(seq)).toBe('@*"_[]');
    // US has no ろ key: it types nothing.
    expect(new WedgeKeys('us').feed(seq)).toBe('["@]\\');
  });

  it('maps shift+; and : on JIS to + and *', () => {
    expect(new WedgeKeys('jis').feed([...press(40), ...shifted(39)])).toBe(':+');
    expect(new WedgeKeys('us').feed([...shifted(39), ...shifted(40)])).toBe(':"');
  });
});
