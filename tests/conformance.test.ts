// KQ1 suites through the code the daemon and the CLI use: importFeed into a real SQLite file, then
// verify against CacheView, case by case; and the built CLI (`kiosk import`, `kiosk verify` with
// one scan a line) in child processes. The project's own suite (tests/fixtures/kq1) always runs;
// the shared conformance suite runs too when ../shared sits beside the checkout, as in CI.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Verdict } from '../protocol/verdict.js';
import { verify } from '../daemon/core/verify.js';
import { Cache } from '../daemon/store/cache.js';
import { importFeed } from '../daemon/store/feed-import.js';
import { hasSharedSuite, projectSuite, PROJECT_ROOT, SHARED_DIR, sharedSuite, tempDir, type ConformanceCase, type Kq1Suite } from './support/fixtures.js';

const CLI = join(PROJECT_ROOT, 'bin', 'kiosk.js');

/** The parts of a verdict a case states; codeType only where the case gives it. */
function outcomeOf(v: Verdict, c: ConformanceCase) {
  return {
    outcome: v.outcome,
    reason: v.reason ?? null,
    collect: v.applications.map((a) => a.receiptNumber).sort(),
    excluded: v.excluded.map((a) => a.receiptNumber).sort(),
    ...(c.expect.codeType !== undefined ? { codeType: v.codeType } : {}),
  };
}

function expected(c: ConformanceCase) {
  const { outcome, reason, collect, excluded, codeType } = c.expect;
  return { outcome, reason: reason ?? null, collect: [...collect].sort(), excluded: [...excluded].sort(), ...(codeType !== undefined ? { codeType } : {}) };
}

/** Every case, in this process, through importFeed and the SQLite cache. */
function runInProcess(suite: Kq1Suite, cases: ConformanceCase[]) {
  const tmp = tempDir();
  let cache: Cache;
  beforeAll(async () => {
    cache = Cache.open(tmp.dir);
    await importFeed(cache.db, cache.applier, Readable.from([suite.feedText()]));
  });
  afterAll(() => {
    cache?.close();
    tmp.cleanup();
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const verdict = verify(c.text, { office: c.device.office, mode: c.device.mode, now: new Date(c.now), maxCacheAgeSeconds: 86_400, data: cache.view });
    expect(outcomeOf(verdict, c), c.why).toEqual(expected(c));
    expect(verdict.message.ja.length).toBeGreaterThan(0);
    expect(verdict.message.en.length).toBeGreaterThan(0);
  });

  it('the signing seeds belong to the public keys the feed publishes', () => {
    const published = new Map(
      suite
        .feedText()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { entity: string; id: string; op: string; data?: { publicKey?: string } })
        .filter((r) => r.entity === 'key' && r.op === 'upsert')
        .map((r) => [r.id, r.data?.publicKey]),
    );
    const keys = suite.keys();
    for (const role of ['current', 'old', 'revoked']) {
      const key = keys[role];
      expect(key && published.get(key.kid), role).toBe(key?.publicKeyBase64);
    }
    expect(published.has(keys['stranger']?.kid ?? '')).toBe(false);
  });
}

/** Every case through the built CLI: one `kiosk import`, one `kiosk verify` per device and clock. */
function runThroughCli(suite: Kq1Suite): string[] {
  const tmp = tempDir();
  try {
    const data = join(tmp.dir, 'data');
    const feed = join(tmp.dir, 'feed.ndjson');
    writeFileSync(feed, suite.feedText());
    const kiosk = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args, '--data', data], { input, encoding: 'utf8', timeout: 60_000 });
    const imported = kiosk(['import', feed]);
    if (imported.status !== 0) return [`import failed: ${imported.stderr}`];
    const groups = new Map<string, ConformanceCase[]>();
    for (const c of suite.cases()) {
      const group = `${c.device.office} ${c.device.mode} ${c.now}`;
      groups.set(group, [...(groups.get(group) ?? []), c]);
    }
    const mismatches: string[] = [];
    for (const [group, cases] of groups) {
      const [office = '', mode = '', now = ''] = group.split(' ');
      // One scan a line: line breaks inside a case's text would split it, and verify trims them anyway.
      const r = kiosk(['verify', '--office', office, '--mode', mode, '--now', now], cases.map((c) => c.text.replace(/[\r\n]+/g, '')).join('\n') + '\n');
      const verdicts = r.stdout.trim().split('\n');
      if (r.status !== 0 || verdicts.length !== cases.length) {
        mismatches.push(`${group}: exit ${r.status}, ${verdicts.length} lines for ${cases.length} scans: ${r.stderr}`);
        continue;
      }
      cases.forEach((c, i) => {
        const got = outcomeOf(JSON.parse(verdicts[i] ?? 'null') as Verdict, c);
        if (JSON.stringify(got) !== JSON.stringify(expected(c))) mismatches.push(`${c.name}: want ${JSON.stringify(expected(c))}, got ${JSON.stringify(got)}`);
      });
    }
    return mismatches;
  } finally {
    tmp.cleanup();
  }
}

describe('project KQ1 suite (tests/fixtures/kq1), through importFeed and the SQLite cache', () => {
  runInProcess(projectSuite, projectSuite.cases());
});

describe('project KQ1 suite (tests/fixtures/kq1), through the kiosk CLI', () => {
  it('gives every case its verdict', () => {
    expect(runThroughCli(projectSuite)).toEqual([]);
  }, 120_000);
});

// Defined only when the team's suite sits beside the checkout (CI): a checkout without it has
// nothing to skip, and one with it runs every case.
if (hasSharedSuite) describe('shared KQ1 conformance suite (../shared/fixtures/kq1)', () => {
  const cases = sharedSuite.cases();

  it('has a case for every reason it promises', () => {
    expect(cases.length).toBeGreaterThanOrEqual(48);
  });

  describe('through importFeed and the SQLite cache', () => {
    runInProcess(sharedSuite, cases);
  });

  it('passes the shared checker, which drives npx kiosk', () => {
    const checker = fileURLToPath(new URL('tools/check-conformance.mjs', SHARED_DIR));
    const r = spawnSync(process.execPath, [checker], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 180_000 });
    expect(r.stdout.trim().split('\n').at(-1), r.stdout + r.stderr).toMatch(/: \d+ passed, 0 failed$/);
    expect(r.status).toBe(0);
  }, 200_000);
});
