// KIOSK_QUEUE: `local` by default (one machine, as before); an office queue needs a hub and a
// token; a station that numbered tickets of its own today does not join an office's numbering.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../daemon/config.js';
import { Daemon } from '../daemon/controller.js';
import { isKioskError } from '../daemon/errors.js';
import { startTestDaemon } from './support/daemon-harness.js';

const HUB = { KIOSK_UPSTREAM: 'http://127.0.0.1:9', KIOSK_UPSTREAM_TOKEN: 'station-token' };

describe('KIOSK_QUEUE', () => {
  it('is local unless set; found or a station URL need a hub; anything else is refused by name', () => {
    expect(loadConfig({}).queue).toEqual({ kind: 'local' });
    expect(loadConfig({ ...HUB, KIOSK_QUEUE: 'found' }).queue).toEqual({ kind: 'found' });
    expect(loadConfig({ ...HUB, KIOSK_QUEUE: 'http://10.0.0.5:8080' }).queue).toEqual({ kind: 'join', url: 'http://10.0.0.5:8080' });
    for (const env of [{ KIOSK_QUEUE: 'found' }, { KIOSK_QUEUE: 'found', KIOSK_UPSTREAM: 'none' }, { ...HUB, KIOSK_QUEUE: 'leader' }, { ...HUB, KIOSK_QUEUE_URL: 'ftp://x' }, { ...HUB, KIOSK_QUEUE: 'found', KIOSK_HOST: '0.0.0.0' }]) {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (e) {
        error = e;
      }
      expect(isKioskError(error, 'CONFIG_INVALID'), JSON.stringify(env)).toBe(true);
      expect((error as Error).message).toMatch(/KIOSK_QUEUE/); // KIOSK_QUEUE or KIOSK_QUEUE_URL, by name
    }
  });

  it('a station with tickets of its own today does not join an office queue today', async () => {
    const t = await startTestDaemon();
    try {
      const kiosk = await t.kiosk();
      const e = (await kiosk.timeout(5000).emitWithAck('scan', { text: t.codes.app(0), source: 'typed' })) as { ticket: { number: string } | null };
      expect(e.ticket?.number).toBe('A-001');
      kiosk.disconnect();
      await t.daemon.stop();
      const config = loadConfig({ KIOSK_DATA_DIR: t.dataDir, KIOSK_PORT: '0', KIOSK_PRINTER: 'none', KIOSK_LOG_LEVEL: 'silent', KIOSK_DEVICE_ID: 'kiosk-1', KIOSK_QUEUE: 'found', ...HUB });
      await expect(Daemon.start(config)).rejects.toThrow(/issued 1 ticket\(s\) of its own today/);
      // Nothing was lost, and the one-machine queue still starts.
      const again = await Daemon.start({ ...config, queue: { kind: 'local' }, upstream: 'none' });
      expect(again.ctx.tickets.open(again.ctx.config.office, new Date()).map((r) => r.number)).toEqual(['A-001']);
      await again.stop();
    } finally {
      await t.stop();
    }
  });
});
