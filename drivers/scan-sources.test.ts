import { describe, expect, it } from 'vitest';
import { isKioskError } from '../protocol/errors.js';
import { createScanSources } from './scan-sources.js';

describe('createScanSources (KIOSK_SCANNERS)', () => {
  it('builds serial and hid scanners, and nothing for none or unset', () => {
    const s = createScanSources('serial:/dev/ttyACM0?baud=9600, hid:/dev/input/by-id/x-event-kbd?layout=jis,none');
    expect(s.map((x) => [x.kind, x.id, x.state()])).toEqual([
      ['serial', 'serial:/dev/ttyACM0', 'disconnected'],
      ['hid', 'hid:/dev/input/by-id/x-event-kbd', 'disconnected'],
    ]);
    expect(createScanSources('none')).toEqual([]);
    expect(createScanSources(undefined)).toEqual([]);
  });

  it.each([
    'usb:/dev/ttyACM0',
    'serial:ttyACM0',
    'serial:/dev/ttyACM0?baud=fast',
    'serial:/dev/ttyACM0?parity=even',
    'hid:/dev/input/event3?layout=dvorak',
    'serial:/dev/a?id=x,hid:/dev/b?id=x',
  ])('rejects %s with CONFIG_INVALID naming KIOSK_SCANNERS', (spec) => {
    try {
      createScanSources(spec);
      expect.unreachable();
    } catch (e) {
      expect(isKioskError(e, 'CONFIG_INVALID')).toBe(true);
      expect((e as Error).message).toMatch(/^KIOSK_SCANNERS: /);
    }
  });
});
