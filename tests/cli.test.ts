// The `kiosk` command line as an operator runs it: the built CLI in a child process, a real
// SQLite file, exit codes and stderr.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR, ndjson, projectSuite, tempDir } from './support/fixtures.js';

const CLI = new URL('../bin/kiosk.js', import.meta.url).pathname;
const kiosk = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', timeout: 60_000 });

describe('kiosk CLI', () => {
  const tmp = tempDir();
  const data = join(tmp.dir, 'data');
  const feed = new URL('feed.ndjson', FIXTURE_DIR).pathname;
  beforeAll(() => expect(kiosk(['import', feed, '--data', data]).status).toBe(0));
  afterAll(() => tmp.cleanup());

  it('verify TEXT prints one JSON verdict and exits 0 whatever the outcome', () => {
    const [accepted, rejected] = [projectSuite.cases().find((c) => c.name === 'app_ready_kiosk')!, projectSuite.cases().find((c) => c.name === 'signature_tampered')!];
    for (const c of [accepted, rejected]) {
      const r = kiosk(['verify', c.text, '--data', data, '--office', '4301', '--mode', 'kiosk', '--now', c.now]);
      expect(r.status).toBe(0);
      const v = JSON.parse(r.stdout);
      expect([v.outcome, v.reason]).toEqual([c.expect.outcome, c.expect.reason]);
      expect(v.basis).toEqual({ asOf: '2026-11-27T00:50:00.000Z', ageSeconds: 600 });
    }
  });

  it('verify without TEXT answers one line per stdin line, blank and garbage lines included', () => {
    const c = projectSuite.cases().find((x) => x.name === 'app_ready_kiosk')!;
    const r = kiosk(['verify', '--data', data, '--now', c.now], `${c.text}\n\ngarbage\n${c.text.toLowerCase()}\n`);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((v) => v.reason)).toEqual([null, 'MALFORMED', 'MALFORMED', null]);
  });

  it('import - reads the feed from stdin', () => {
    const other = join(tmp.dir, 'stdin-data');
    const r = kiosk(['import', '-', '--data', other], readFileSync(feed, 'utf8'));
    expect([r.status, r.stderr.trim()]).toEqual([0, 'imported 64 records; cursor 64; data as of 2026-11-27T00:50:00.000Z']);
  });

  it('status reports counts and the data age', () => {
    const r = kiosk(['status', '--json', '--data', data]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ asOf: '2026-11-27T00:50:00.000Z', cursor: 64, counts: { applications: 29, receivers: 6 } });
  });

  it('a bad feed line exits non-zero naming the line, and the cache is unchanged', () => {
    const bad = join(tmp.dir, 'bad.ndjson');
    writeFileSync(bad, '{"seq":40,"entity":"office","id":"4301","op":"delete"}\n{"seq":41,"entity":"office"}\n');
    const r = kiosk(['import', bad, '--data', data]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/line 2: /);
    expect(JSON.parse(kiosk(['status', '--json', '--data', data]).stdout).counts.offices).toBe(3);
  });

  it('bad usage and bad configuration are one clear line on stderr', () => {
    const r1 = kiosk(['verify', 'x', '--data', data, '--now', 'yesterday']);
    expect([r1.status, r1.stderr.trim()]).toEqual([2, 'kiosk: --now: not an ISO-8601 time: yesterday']);
    const r2 = spawnSync(process.execPath, [CLI, 'status', '--data', data], { encoding: 'utf8', env: { ...process.env, KIOSK_MAX_CACHE_AGE: 'soon' } });
    expect(r2.status).toBe(78);
    expect(r2.stderr).toMatch(/^kiosk: bad configuration: KIOSK_MAX_CACHE_AGE: .*"soon"/);
    const r3 = kiosk(['import', join(tmp.dir, 'missing.ndjson'), '--data', data]);
    expect(r3.status).toBe(1);
    expect(r3.stderr).toMatch(/ENOENT|no such file/);
  });

  it('kill -9 in the middle of a large import leaves the cache as it was', async () => {
    const big = join(tmp.dir, 'big.ndjson');
    const records = Array.from({ length: 300_000 }, (_, i) => ({ seq: 100 + i, entity: 'office', id: `X${i}`, op: 'upsert', data: { name: { ja: '臨時', en: 'temp' } } }));
    writeFileSync(big, ndjson(records));
    const child = spawn(process.execPath, [CLI, 'import', big, '--data', data], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 700));
    expect(child.exitCode).toBeNull(); // still importing: the kill lands mid-import
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const status = JSON.parse(kiosk(['status', '--json', '--data', data]).stdout);
    expect(status.counts.offices).toBe(3);
    expect(status.cursor).toBe(64);
  });
});
