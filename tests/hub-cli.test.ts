// `kiosk hub` and `kiosk issue` as an operator runs them: bad configuration is one line and exit 78,
// SIGTERM stops cleanly with JSON logs, --seed is served at once, the files are private, and the
// codes the hub mints are accepted by a kiosk that imported the hub's feed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { call, CLI, collect, ENGINES, ndjsonOf, rec, receipt, useHubEngine } from './support/hub-harness.js';
import { tempDir } from './support/fixtures.js';

// Child processes (kiosk commands, hub processes) start slowly on a loaded machine.
vi.setConfig({ testTimeout: 120_000 });

async function runHub(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, 'hub', ...args], { env: { ...process.env, KIOSK_LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const r = await collect(child);
  clearTimeout(timer);
  return r;
}

describe('kiosk hub configuration', () => {
  const tmp = tempDir('kiosk-hub-cli-');
  afterAll(() => tmp.cleanup());

  it('refuses bad configuration with one line naming it, exit 78', async () => {
    const data = ['--data', join(tmp.dir, 'hub')];
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const busyPort = String((busy.address() as { port: number }).port);
    const bad = join(tmp.dir, 'bad.ndjson');
    writeFileSync(bad, '{"seq":1,"entity":"office","id":"1","op":"upsert","data":{}}\n');
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [[...data], { KIOSK_HUB_PORT: 'eighty' }, /^kiosk: bad configuration: KIOSK_HUB_PORT: /],
      [[...data, '--port', '70000'], {}, /^kiosk: bad configuration: --port: /],
      [[...data, '--port', '0'], { DATABASE_URL: 'mysql://db/hub' }, /^kiosk: bad configuration: DATABASE_URL: a postgres:\/\/ or postgresql:\/\/ URL$/],
      [[...data, '--port', '0'], { DATABASE_URL: 'postgresql://hub:secret@127.0.0.1:1/hub' }, /^kiosk: DATABASE_URL: cannot use PostgreSQL at postgresql:\/\/hub:\*\*\*@127\.0\.0\.1:1\/hub: /],
      [[...data, '--port', busyPort], {}, /^kiosk: hub: cannot listen on 127\.0\.0\.1:\d+: address already in use$/],
      [[...data, '--port', '0', '--host', '192.0.2.1'], {}, /^kiosk: hub: cannot listen on 192\.0\.2\.1:0: no such address on this machine$/],
      [[...data, '--port', '0', '--seed', join(tmp.dir, 'missing.ndjson')], {}, /^kiosk: --seed: no such file: /],
      [[...data, '--port', '0', '--seed', bad], {}, /^kiosk: --seed .*bad\.ndjson: line 1: office 1: data\.name: /],
    ];
    try {
      for (const [args, env, message] of cases) {
        const r = await runHub(args, env);
        expect(r.status, r.stderr).toBe(78);
        const lines = r.stderr.trim().split('\n');
        expect(lines, r.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(message);
        expect(r.stderr).not.toMatch(/secret/);
      }
    } finally {
      busy.close();
    }
  });
});

describe.each(ENGINES)('kiosk hub on %s', (engine) => {
  const h = useHubEngine(engine);

  it('serves --seed at once, logs JSON, and stops cleanly on SIGTERM', async () => {
    const s = await h.storage();
    const seed = join(s.dataDir, 'seed.ndjson');
    writeFileSync(seed, ndjsonOf([rec.office('4301'), rec.app(receipt('4301', 1), '4301')]));
    const token = (await h.kiosk(s, ['hub', 'enroll', 'k1'])).stdout.trim();
    const child = spawn(process.execPath, [CLI, 'hub', ...s.args, '--port', '0', '--seed', seed], { env: { ...process.env, ...s.env, KIOSK_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const done = collect(child);
    const url = await new Promise<string>((resolve) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /hub listening on (\S+)/.exec(err);
        if (m) resolve(m[1]!);
      });
    });
    const page = await call<{ changes: Array<{ id: string }> }>(url, '/sync/v1/changes?since=0', { token });
    expect(page.body.changes.map((c) => c.id).slice(1)).toEqual(['4301', receipt('4301', 1)]);
    const poll = call(url, '/sync/v1/changes?since=999&wait=25', { token });
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    expect((await poll).status).toBe(200); // answered, not cut off
    const r = await done;
    expect(r.status).toBe(0);
    const logs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; service: string });
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['hub: seeded', 'hub: listening', 'hub: shutting down', 'hub: stopped']));
    expect(new Set(logs.map((l) => l.service))).toEqual(new Set(['kiosk-hub']));
    if (engine === 'sqlite') {
      expect(statSync(s.dataDir).mode & 0o777).toBe(0o700);
      for (const f of ['hub.sqlite', 'hub.sqlite-wal', 'hub.sqlite-shm']) {
        if (existsSync(join(s.dataDir, f))) expect(statSync(join(s.dataDir, f)).mode & 0o777, f).toBe(0o600);
      }
    }
  });

  it('mints codes a kiosk accepts once it has imported the hub’s feed, with a PNG on request', async () => {
    const hub = await h.hub();
    await hub.store.publish([rec.office('4301'), rec.receiver('R1', 2), rec.app(receipt('4301', 1), '4301'), rec.app(receipt('4301', 2), '4301', { receiverId: 'R1' })]);
    const token = await hub.store.enroll('k1', '4301');
    const png = join(hub.storage.dataDir, 'app.png');
    const issued = await h.kiosk(hub.storage, ['issue', 'APP', '--receipt', receipt('4301', 1), '--office', '4301', '--proc', 'RENEW', '--png', png]);
    expect(issued.status, issued.stderr).toBe(0);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const auth = await h.kiosk(hub.storage, ['issue', 'auth', '--receiver', 'R1', '--proc', 'RENEW', '--pwv', '2']);
    const missing = await h.kiosk(hub.storage, ['issue', 'PWD', '--receiver', 'R1']);
    expect([missing.status, missing.stderr.trim()]).toEqual([2, 'kiosk: issue PWD needs --name, --pwv']);

    // A kiosk takes the hub's feed (its key included) as an import file, then judges the codes.
    const page = await call<{ changes: object[] }>(hub.url, '/sync/v1/changes?since=0&office=4301', { token });
    const kioskDir = join(hub.storage.dataDir, 'kiosk');
    const feed = join(hub.storage.dataDir, 'hub-feed.ndjson');
    writeFileSync(feed, ndjsonOf(page.body.changes));
    expect(spawnSync(process.execPath, [CLI, 'import', feed, '--data', kioskDir]).status).toBe(0);
    for (const [code, receipts] of [
      [issued.stdout.trim(), [receipt('4301', 1)]],
      [auth.stdout.trim(), [receipt('4301', 2)]],
    ] as const) {
      const v = spawnSync(process.execPath, [CLI, 'verify', code, '--data', kioskDir, '--office', '4301', '--mode', 'counter'], { encoding: 'utf8' });
      const verdict = JSON.parse(v.stdout) as { outcome: string; reason: string | null; applications: Array<{ receiptNumber: string }> };
      expect([verdict.outcome, verdict.reason], v.stdout).toEqual(['accepted', null]);
      expect(verdict.applications.map((a) => a.receiptNumber)).toEqual(receipts);
    }
  });
});
