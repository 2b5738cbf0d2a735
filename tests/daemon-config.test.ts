// Demo defaults apply only to the demo: a real configuration never gets a pretend device.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestDaemon, type TestDaemon } from './support/daemon-harness.js';

describe('configuration outside the demo', () => {
  let t: TestDaemon | undefined;
  afterEach(() => t?.stop());

  it('KIOSK_UPSTREAM=none without KIOSK_PRINTER has no printer and says so, instead of an invisible virtual one that is "ready"', async () => {
    t = await startTestDaemon({ KIOSK_PRINTER: '', KIOSK_UPSTREAM: 'none' });
    const state = t.daemon.board.kioskState();
    expect(state.printer).toMatchObject({ configured: false, online: false, detail: 'no printer configured' });
    expect(t.daemon.ctx.printQueue).toBeNull();
  });
});
