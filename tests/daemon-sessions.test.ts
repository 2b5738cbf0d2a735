// Staff sessions end for the screens too: after sign-out a /staff socket is dropped at once and
// receives no more verdicts (which carry receiver names).
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestDaemon, until, type TestDaemon } from './support/daemon-harness.js';

describe('staff sessions', () => {
  let t: TestDaemon;
  beforeAll(async () => {
    t = await startTestDaemon();
  });
  afterAll(() => t.stop());

  it('sign-out disconnects the session\'s sockets; another session is untouched', async () => {
    const [tokenA, tokenB] = [await t.signIn(), await t.signIn()];
    const [a, b] = [await t.staff(tokenA), await t.staff(tokenB)];
    const seenByA: unknown[] = [];
    a.on('verdict', (v) => seenByA.push(v));
    const res = await fetch(`${t.daemon.url}/api/staff/session`, { method: 'DELETE', headers: { authorization: `Bearer ${tokenA}` } });
    expect(res.status).toBe(204);
    await until(() => !a.connected, 'session A dropped');
    expect(b.connected).toBe(true);
    const kiosk = await t.kiosk();
    await request(kiosk, 'scan', { text: t.codes.auth(), source: 'typed' });
    await new Promise((r) => setTimeout(r, 100));
    expect(seenByA).toEqual([]);
    // The token is dead for new connections too.
    await expect(t.staff(tokenA)).rejects.toThrow(/unauthorized/);
  });

  it('a page from another origin cannot open the sockets; the daemon\'s own pages can', async () => {
    const attempt = (origin: string) =>
      new Promise<string>((resolve) => {
        const s = connect(`${t.daemon.url}/kiosk`, { transports: ['websocket'], reconnection: false, extraHeaders: { origin } });
        s.once('connect', () => (s.disconnect(), resolve('connected')));
        s.once('connect_error', () => resolve('refused'));
      });
    expect(await attempt('http://evil.example')).toBe('refused');
    expect(await attempt(t.daemon.url)).toBe('connected');
  });

  it('refused sign-ins are in the audit log, without the PIN', async () => {
    const res = await fetch(`${t.daemon.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffId: 's1', pin: '9999' }) });
    expect(res.status).toBe(401);
    const row = t.daemon.ctx.audit.tail(1)[0]!;
    expect([row.type, row.data]).toEqual(['staff-sign-in', { staffId: 's1', source: '127.0.0.1', refused: 'UNAUTHORIZED' }]);
  });
});
