// The daemon's HTTP face (issue 8): security headers on every answer, fixed error messages, slow
// peers dropped in seconds, and caching that cannot strand a kiosk on deleted assets after an upgrade.
import { readdirSync } from 'node:fs';
import { connect as tcp, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDaemon, type TestDaemon } from './support/daemon-harness.js';
import { raw } from './support/raw-http.js';

let t: TestDaemon;
beforeAll(async () => {
  t = await startTestDaemon();
});
afterAll(() => t.stop());

/** Open a raw TCP connection, write `text`, and resolve with what came back once the server closed it. */
function heldFor(text: string, maxMs: number): Promise<{ closedAfterMs: number; answer: string }> {
  const u = new URL(t.daemon.url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let answer = '';
    const socket: Socket = tcp(Number(u.port), u.hostname, () => socket.write(text));
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    socket.on('error', () => undefined); // a reset is a close too
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ closedAfterMs: Date.now() - started, answer });
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server still held the connection after ${maxMs} ms`));
    }, maxMs);
  });
}

describe('security headers', () => {
  it('every answer carries the CSP, nosniff and no-referrer', async () => {
    for (const path of ['/', '/counter', '/api/state', '/healthz', '/no-such-page', '/api/nothing']) {
      const r = await raw(`${t.daemon.url}${path}`);
      expect(r.headers['x-content-type-options'], path).toBe('nosniff');
      expect(r.headers['referrer-policy'], path).toBe('no-referrer');
      const csp = String(r.headers['content-security-policy']);
      const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
      expect(directives['default-src'], path).toEqual(["'self'"]);
      expect(directives['script-src'], path).toEqual(["'self'", "'wasm-unsafe-eval'"]);
      expect(directives['frame-ancestors'], path).toEqual(["'none'"]);
      expect(directives['img-src'], path).toEqual(["'self'", 'data:']);
      expect(directives['worker-src'], path).toEqual(["'self'"]);
      expect(directives['connect-src']?.[0], path).toBe("'self'");
      expect(csp, path).not.toContain('unsafe-inline');
    }
  });
});

describe('error bodies', () => {
  it('a malformed JSON body gets a fixed message, not the parser\'s', async () => {
    const r = await raw(`${t.daemon.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"staffId": "s1", pin: 12' });
    expect([r.status, r.json]).toEqual([400, { error: { code: 'BAD_REQUEST', message: 'the request body is not valid JSON' } }]);
  });

  it('an oversized body gets 413 and a fixed message', async () => {
    const body = JSON.stringify({ staffId: 's1', pin: 'x'.repeat(20_000) });
    const r = await raw(`${t.daemon.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect([r.status, r.json]).toEqual([413, { error: { code: 'BAD_REQUEST', message: 'the request body is larger than 16 KiB' } }]);
  });

  it('an unsupported body encoding gets 415 and a fixed message', async () => {
    const r = await raw(`${t.daemon.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'zstd-nonsense' }, body: '{}' });
    expect([r.status, r.json]).toEqual([415, { error: { code: 'BAD_REQUEST', message: 'the request body has an unsupported encoding or charset' } }]);
  });
});

describe('slow peers', () => {
  it('a request whose headers never finish is dropped within seconds', async () => {
    const { answer } = await heldFor('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', 20_000);
    expect(answer).toMatch(/^$|^HTTP\/1\.1 408 /);
  });

  it('a request whose body never arrives is dropped within seconds', async () => {
    const head = 'POST /api/staff/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"staffId":';
    const { answer } = await heldFor(head, 30_000);
    expect(answer).toMatch(/^$|^HTTP\/1\.1 408 /);
  }, 40_000);

  it('an idle keep-alive connection is closed after its answer', async () => {
    const { answer } = await heldFor('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n', 20_000);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});

describe('caching', () => {
  it('index.html is revalidated every time; hashed assets are immutable', async () => {
    for (const path of ['/', '/counter', '/display', '/index.html']) {
      const r = await raw(`${t.daemon.url}${path}`);
      expect([path, r.status, r.headers['cache-control']]).toEqual([path, 200, 'no-cache']);
    }
    const assets = readdirSync(new URL('../dist/kiosk-ui/assets/', import.meta.url));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const r = await raw(`${t.daemon.url}/assets/${asset}`);
      expect([asset, r.status, r.headers['cache-control']]).toEqual([asset, 200, 'public, max-age=31536000, immutable']);
    }
    // A missing asset is a plain 404, not cached for a year.
    const missing = await raw(`${t.daemon.url}/assets/index-gone.js`);
    expect([missing.status, missing.headers['cache-control']]).toEqual([404, undefined]);
  });
});
