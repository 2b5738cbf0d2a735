// `npm start` with nothing configured: the demo goes through the real path (a hub in the daemon's
// process, the kiosk syncing from it over HTTP), and its signing key is trusted only while the demo
// runs: a real configuration on the demo's data directory is refused with one line.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KioskState, VerdictEvent } from '../protocol/events.js';
import { until } from './support/daemon-harness.js';
import { kioskSocket, runCli, startDaemonProcess } from './support/daemon-process.js';
import { tempDir } from './support/fixtures.js';

describe('the demo', () => {
  const tmp = tempDir('kiosk-demo-');
  const dataDir = join(tmp.dir, 'var');
  afterAll(() => tmp.cleanup());
  let demoCode = '';

  it('syncs from its embedded hub over HTTP, issues a ticket for a demo code, and reports the pickup to the hub', async () => {
    // Exactly what `npm start` sets: nothing but where to listen.
    const daemon = await startDaemonProcess(dataDir, { KIOSK_UPSTREAM: '', KIOSK_PRINTER: '', KIOSK_LOG_LEVEL: 'warn' });
    try {
      const state = await until(async () => {
        const s = (await (await fetch(`${daemon.url}/api/state`)).json()) as KioskState;
        return s.upstream.state === 'online' && s.cache.asOf !== null && s;
      }, 'the demo to sync', 30_000);
      expect(state).toMatchObject({ demo: true, office: { code: '4301', name: { ja: '熊本事務所' } }, printer: { configured: true } });
      const codes = (await (await fetch(`${daemon.url}/api/demo/codes`)).json()) as { label: string; text: string; png: string }[];
      demoCode = codes.find((c) => c.label.includes('APP 1'))!.text;
      const kiosk = await kioskSocket(daemon.url);
      const event = (await kiosk.timeout(10_000).emitWithAck('scan', { text: demoCode, source: 'typed' })) as VerdictEvent;
      kiosk.disconnect();
      expect(event).toMatchObject({ verdict: { outcome: 'accepted' }, ticket: { number: expect.stringMatching(/^A-\d{3}$/) } });
      // The ticket event went up to the demo hub.
      await until(async () => ((await (await fetch(`${daemon.url}/api/state`)).json()) as KioskState).upstream.outboxDepth === 0, 'the outbox to drain', 20_000);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
    // A restart keeps what happened: the same code shows the same ticket, not a second number.
    const again = await startDaemonProcess(dataDir, { KIOSK_UPSTREAM: '', KIOSK_PRINTER: '' });
    try {
      const kiosk = await kioskSocket(again.url);
      await until(async () => ((await (await fetch(`${again.url}/api/state`)).json()) as KioskState).upstream.state === 'online', 'online again', 30_000);
      const event = (await kiosk.timeout(10_000).emitWithAck('scan', { text: demoCode, source: 'typed' })) as VerdictEvent;
      kiosk.disconnect();
      expect(event).toMatchObject({ repeat: true });
    } finally {
      await again.stop();
    }
  }, 120_000);

  it('a real configuration on the demo data directory is refused with one line: daemon, verify, import and demo-codes', () => {
    const real = { KIOSK_DATA_DIR: dataDir, KIOSK_UPSTREAM: 'none', KIOSK_PRINTER: 'none', KIOSK_PORT: '0' };
    for (const args of [['daemon'], ['verify', demoCode], ['import', '/dev/null']]) {
      const r = runCli(args, { env: real, timeout: 20_000 });
      expect(r.status, args[0]).toBe(78);
      const lines = r.stderr.trim().split('\n');
      expect(lines, args[0]).toHaveLength(1);
      expect(lines[0]).toMatch(/KIOSK_DATA_DIR: .* holds the demo's data/);
    }
    const codes = runCli(['demo-codes', '--out', join(tmp.dir, 'codes')], { env: real });
    expect([codes.status, codes.stderr.trim()]).toEqual([2, 'kiosk: demo-codes is for the demo only: KIOSK_UPSTREAM is set, so this is not the demo']);
    // In the demo's own configuration the CLI still works with its codes.
    const verdict = JSON.parse(runCli(['verify', demoCode, '--data', dataDir], { env: { KIOSK_UPSTREAM: '' } }).stdout) as { outcome: string };
    expect(verdict.outcome).toBe('accepted');
    expect(runCli(['demo-codes', '--data', dataDir, '--out', join(tmp.dir, 'codes')], { env: { KIOSK_UPSTREAM: '' } }).status).toBe(0);
  }, 60_000);
});
