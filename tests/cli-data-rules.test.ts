// What the command line must never do to a data directory: make stale data look current, accept
// times from the future or keys that cannot be keys, create a database by mistake, leave files
// readable by others, or let two daemons write one directory.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, mintKq1 } from '../sync/issuing/kq1-issuer.js';
import { appReceipt, OFFICE, testFeed } from './support/daemon-harness.js';
import { CLI, runCli, startDaemonProcess } from './support/daemon-process.js';
import { ndjson, tempDir } from './support/fixtures.js';

const key = generateSigningKey('rules-key');
const DAY_AGO = new Date(Date.now() - 2 * 86_400_000);

describe('kiosk import and verify keep the data honest', () => {
  const tmp = tempDir('kiosk-rules-');
  const data = join(tmp.dir, 'data');
  const file = (name: string, text: string) => {
    const path = join(tmp.dir, name);
    writeFileSync(path, text);
    return path;
  };
  const verdict = () => {
    const code = mintKq1({ typ: 'APP', iat: Math.floor(Date.now() / 1000) - 60, jti: 'r-0', rcpt: appReceipt(0), off: OFFICE, proc: 'RENEW' }, key);
    return JSON.parse(runCli(['verify', code, '--data', data, '--office', OFFICE]).stdout) as { outcome: string; reason: string | null; basis: { asOf: string } };
  };
  /** What an import may change: the data's asOf, the cursor and the rows. */
  const status = () => {
    const { asOf, cursor, counts } = JSON.parse(runCli(['status', '--json', '--data', data]).stdout) as { asOf: string; cursor: number; counts: Record<string, number> };
    return { asOf, cursor, counts };
  };

  beforeAll(() => {
    // Data two days old: past the 24 h limit, so codes read CACHE_STALE.
    expect(runCli(['import', file('old.ndjson', ndjson(testFeed(key, { screenApps: 3, asOf: DAY_AGO }))), '--data', data]).status).toBe(0);
    expect(verdict()).toMatchObject({ outcome: 'refer', reason: 'CACHE_STALE' });
  });
  afterAll(() => tmp.cleanup());

  it.each([
    ['/dev/null', () => '/dev/null'],
    ['a file of blank lines', () => file('blank.ndjson', '\n\n   \n\r\n')],
  ])('importing %s changes nothing: the stale cache stays stale', (_what, path) => {
    const before = status();
    const r = runCli(['import', path(), '--data', data]);
    expect([r.status, r.stderr.trim()]).toEqual([0, 'the file holds no records: nothing changed']);
    expect(status()).toEqual(before);
    expect(verdict()).toMatchObject({ outcome: 'refer', reason: 'CACHE_STALE' });
  });

  it.each([
    ['an asOf in 2099', { asOf: '2099-01-01T00:00:00Z' }, /line 1: meta asOf 2099-01-01T00:00:00Z is in the future/],
    ['an asOf that is not a date-time', { asOf: '1' }, /line 1: meta feed: data\.asOf: not an ISO-8601 date-time/],
    ['an asOf without a zone', { asOf: '2026-12-01T09:00:00' }, /line 1: meta feed: data\.asOf/],
  ])('a meta record with %s is refused with its line, and nothing changes', (_what, metaData, message) => {
    const before = status();
    const r = runCli(['import', file('meta.ndjson', ndjson([{ seq: 900, entity: 'meta', id: 'feed', op: 'upsert', data: metaData }, { seq: 901, entity: 'office', id: '9999', op: 'upsert', data: { name: { ja: '新', en: 'New' } } }])), '--data', data]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(status()).toEqual(before);
  });

  it.each([
    ['alg "none"', { alg: 'none', publicKey: key.publicKeyBase64 }, /data\.alg/],
    ['a garbage public key', { alg: 'Ed25519', publicKey: 'bm90IGEga2V5' }, /data\.publicKey/],
  ])('a key with %s is refused at import', (_what, keyData, message) => {
    const r = runCli(['import', file('key.ndjson', ndjson([{ seq: 950, entity: 'key', id: 'bad-key', op: 'upsert', data: keyData }])), '--data', data]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  it.each([
    ['no data', {}],
    ['data: null', { data: null }],
  ])('a meta record with %s imports cleanly and counts as current', (_what, extra) => {
    const r = runCli(['import', file('meta-only.ndjson', ndjson([{ seq: 1000, entity: 'meta', id: 'feed', op: 'upsert', ...extra }])), '--data', data]);
    expect(r.stderr).not.toMatch(/TypeError|at /);
    expect(r.status).toBe(0);
    expect(Date.now() - Date.parse(status().asOf)).toBeLessThan(60_000);
    expect(verdict()).toMatchObject({ outcome: 'accepted' });
  });

  it('verify and status on a mistyped --data answer an error and create nothing', () => {
    const typo = join(tmp.dir, 'dtaa');
    for (const args of [['verify', 'KQ1AAAA', '--data', typo], ['status', '--data', typo]]) {
      const r = runCli(args);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/no kiosk database at .*dtaa/);
    }
    expect(existsSync(typo)).toBe(false);
  });

  it('keeps the data directory 0700 and its files 0600 whatever the umask', () => {
    const fresh = join(tmp.dir, 'fresh', 'data');
    const r = spawnSync('sh', ['-c', `umask 022; exec "${process.execPath}" "${CLI}" import - --data "${fresh}"`], { input: ndjson(testFeed(key, { screenApps: 1 })), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    for (const f of ['kiosk.sqlite', 'kiosk.sqlite-wal', 'kiosk.sqlite-shm']) {
      if (existsSync(join(fresh, f))) expect((statSync(join(fresh, f)).mode & 0o777).toString(8), f).toBe('600');
    }
  });

  it('a second daemon on the same data directory is refused with one line', async () => {
    const first = await startDaemonProcess(data);
    try {
      const second = runCli(['daemon'], { env: { KIOSK_DATA_DIR: data, KIOSK_PORT: '0', KIOSK_UPSTREAM: 'none', KIOSK_PRINTER: 'none' }, timeout: 20_000 });
      expect(second.status).toBe(1);
      expect(second.stderr.trim().split('\n')).toEqual([`kiosk: another kiosk daemon (pid ${first.child.pid}) is already running on ${data}`]);
    } finally {
      await first.stop();
    }
    // Once it has stopped, the directory is free again; a pid file left by kill -9 does not block either.
    const again = await startDaemonProcess(data);
    await again.stop('SIGKILL');
    const after = await startDaemonProcess(data);
    await after.stop();
  }, 60_000);
});
