// DNS rebinding (issue 8): a page on any host name that resolves to the kiosk must not reach its
// HTTP routes or open its sockets. Only the names of KIOSK_ALLOWED_HOSTS pass, in Host and Origin.
import { spawnSync } from 'node:child_process';
import { connect as tcp } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../daemon/config.js';
import { isKioskError } from '../daemon/errors.js';
import { startTestDaemon, type TestDaemon } from './support/daemon-harness.js';
import { tempDir } from './support/fixtures.js';
import { raw, signInFrom } from './support/raw-http.js';

const CLI = new URL('../bin/kiosk.js', import.meta.url).pathname;

/** The status line the server answers a WebSocket upgrade with. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tcp(Number(u.port), u.hostname, () => {
      const lines = [
        'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1',
        'Connection: Upgrade',
        'Upgrade: websocket',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      ];
      socket.write(lines.join('\r\n') + '\r\n\r\n');
    });
    let got = '';
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      const line = got.split('\r\n')[0];
      if (got.includes('\r\n')) {
        socket.destroy();
        resolve(line!);
      }
    });
    socket.on('error', reject);
    socket.setTimeout(10_000, () => (socket.destroy(), reject(new Error('no answer to the upgrade'))));
  });
}

describe('allowed hosts, default (loopback names)', () => {
  let t: TestDaemon;
  let port: string;
  beforeAll(async () => {
    t = await startTestDaemon();
    port = new URL(t.daemon.url).port;
  });
  afterAll(() => t.stop());

  it('every HTTP route refuses a Host it does not serve, with 421 and the one error shape', async () => {
    for (const path of ['/', '/counter', '/healthz', '/metrics', '/api/state', '/assets/none.js', '/no-such-page']) {
      const r = await raw(`${t.daemon.url}${path}`, { headers: { host: `rebind.example:${port}` } });
      expect([path, r.status, r.json]).toEqual([path, 421, { error: { code: 'HOST_NOT_ALLOWED', message: expect.stringContaining('rebind.example') } }]);
    }
    const signIn = await signInFrom(t.daemon.url, '127.0.0.1', 's1', '246813', { host: `rebind.example:${port}` });
    expect(signIn.status).toBe(421);
  });

  it('serves the loopback names, with or without the port, in any letter case', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST', '127.0.0.1']) {
      expect([host, (await raw(`${t.daemon.url}/api/state`, { headers: { host } })).status]).toEqual([host, 200]);
    }
  });

  it('refuses a request from a page of another origin with 403', async () => {
    for (const origin of ['http://rebind.example', `http://rebind.example:${port}`, 'null', 'not a url']) {
      const r = await signInFrom(t.daemon.url, '127.0.0.1', 's1', '246813', { origin });
      expect([origin, r.status, (r.json as { error: { code: string } }).error.code]).toEqual([origin, 403, 'ORIGIN_NOT_ALLOWED']);
    }
    const own = await signInFrom(t.daemon.url, '127.0.0.1', 's1', '246813', { origin: `http://localhost:${port}` });
    expect(own.status).toBe(200);
  });

  it('a rebinding page (Host and Origin both its own name) cannot open the sockets', async () => {
    const evil = { host: `rebind.example:${port}`, origin: `http://rebind.example:${port}` };
    const polling = await raw(`${t.daemon.url}/socket.io/?EIO=4&transport=polling`, { headers: evil });
    // engine.io answers refused handshakes itself: 403 for polling, 400 for a WebSocket upgrade.
    expect([polling.status, polling.json]).toEqual([403, { code: 4, message: 'HOST_NOT_ALLOWED: see KIOSK_ALLOWED_HOSTS' }]);
    expect(await upgradeStatus(t.daemon.url, evil)).toBe('HTTP/1.1 400 Bad Request');
    // Its own page, and scripts that send no Origin, still can.
    expect(await upgradeStatus(t.daemon.url, { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` })).toBe('HTTP/1.1 101 Switching Protocols');
    expect(await upgradeStatus(t.daemon.url, { host: `localhost:${port}` })).toBe('HTTP/1.1 101 Switching Protocols');
    expect(await upgradeStatus(t.daemon.url, { host: `127.0.0.1:${port}`, origin: 'http://rebind.example' })).toBe('HTTP/1.1 400 Bad Request');
    const otherOrigin = await raw(`${t.daemon.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'http://rebind.example' } });
    expect([otherOrigin.status, otherOrigin.json]).toEqual([403, { code: 4, message: 'ORIGIN_NOT_ALLOWED: see KIOSK_ALLOWED_HOSTS' }]);
  });
});

describe('allowed hosts, configured', () => {
  let t: TestDaemon;
  beforeAll(async () => {
    t = await startTestDaemon({ KIOSK_ALLOWED_HOSTS: 'Kiosk-3.office.lan, 192.168.10.23' });
  });
  afterAll(() => t.stop());

  it('serves exactly the configured names', async () => {
    const port = new URL(t.daemon.url).port;
    const status = async (host: string) => (await raw(`${t.daemon.url}/api/state`, { headers: { host } })).status;
    expect(await status(`kiosk-3.office.lan:${port}`)).toBe(200);
    expect(await status(`192.168.10.23:${port}`)).toBe(200);
    expect(await status(`127.0.0.1:${port}`)).toBe(421);
    expect(await status(`office.lan:${port}`)).toBe(421);
  });
});

describe('KIOSK_ALLOWED_HOSTS', () => {
  const hosts = (env: Record<string, string>) => loadConfig(env).allowedHosts;

  it('defaults to the loopback names plus KIOSK_HOST when that is one address or name', () => {
    expect(hosts({})).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(hosts({ KIOSK_HOST: '192.168.10.23' })).toEqual(['localhost', '127.0.0.1', '[::1]', '192.168.10.23']);
    expect(hosts({ KIOSK_HOST: 'Kiosk-3.lan' })).toEqual(['localhost', '127.0.0.1', '[::1]', 'kiosk-3.lan']);
    expect(hosts({ KIOSK_HOST: 'fd00::23' })).toEqual(['localhost', '127.0.0.1', '[::1]', '[fd00::23]']);
    expect(hosts({ KIOSK_HOST: '0.0.0.0' })).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(hosts({ KIOSK_HOST: '::' })).toEqual(['localhost', '127.0.0.1', '[::1]']);
  });

  it('takes a comma list of names and addresses', () => {
    expect(hosts({ KIOSK_ALLOWED_HOSTS: 'kiosk.lan, 10.0.0.5,[fd00::5] ,LOCALHOST' })).toEqual(['kiosk.lan', '10.0.0.5', '[fd00::5]', 'localhost']);
    expect(hosts({ KIOSK_ALLOWED_HOSTS: 'FD00::5' })).toEqual(['[fd00::5]']);
  });

  it.each(['*', '*.lan', 'http://kiosk.lan', 'kiosk.lan:8080', 'kiosk lan', ',', '[nonsense]', 'a..b', '-kiosk.lan'])('refuses %j with one error naming the variable', (value) => {
    let error: unknown;
    try {
      loadConfig({ KIOSK_ALLOWED_HOSTS: value });
    } catch (e) {
      error = e;
    }
    expect(isKioskError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/^bad configuration: KIOSK_ALLOWED_HOSTS: /);
  });

  it('a bad value stops the daemon process with exit 78 and one line naming it', () => {
    const tmp = tempDir('kiosk-hosts-');
    try {
      const env = { ...process.env, KIOSK_DATA_DIR: tmp.dir, KIOSK_PORT: '0', KIOSK_ALLOWED_HOSTS: 'http://kiosk.lan' };
      const r = spawnSync(process.execPath, [CLI, 'daemon'], { env, encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(78);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('KIOSK_ALLOWED_HOSTS')]);
    } finally {
      tmp.cleanup();
    }
  });
});
