// KQ1 suites as files: the project's own (tests/fixtures/kq1, made by scripts/generate-fixtures.ts)
// and the shared conformance suite (../shared/fixtures/kq1), present beside some checkouts only.
// Both have the same layout: feed.ndjson, cases.json, signing-keys.json.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signingKeyFromSeed, type SigningKey } from '../../sync/issuing/kq1-issuer.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The project's own suite. */
export const FIXTURE_DIR = new URL('../fixtures/kq1/', import.meta.url);
/** The shared suite and its checker, when a checkout has ../shared beside it (CI does). */
export const SHARED_DIR = new URL('../../../shared/', import.meta.url);
export const SHARED_FIXTURE_DIR = new URL('fixtures/kq1/', SHARED_DIR);
export const hasSharedSuite = existsSync(new URL('cases.json', SHARED_FIXTURE_DIR));

export interface ConformanceCase {
  name: string;
  why?: string;
  device: { office: string; mode: 'kiosk' | 'counter' };
  now: string;
  text: string;
  /** codeType: checked when present (null included); the shared suite gives it on some cases only. */
  expect: { outcome: string; reason: string | null; collect: string[]; excluded: string[]; codeType?: string | null };
}

export interface Kq1Suite {
  dir: URL;
  feedText(): string;
  cases(): ConformanceCase[];
  /** The suite's test-only signing keys by role (current, old, revoked, stranger, …). */
  keys(): Record<string, SigningKey>;
}

export function kq1Suite(dir: URL): Kq1Suite {
  const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
  return {
    dir,
    feedText: () => read('feed.ndjson'),
    cases: () => JSON.parse(read('cases.json')) as ConformanceCase[],
    keys() {
      const file = JSON.parse(read('signing-keys.json')) as { kids: Record<string, string>; seeds: Record<string, string> };
      return Object.fromEntries(Object.entries(file.kids).map(([role, kid]) => [role, signingKeyFromSeed(kid, file.seeds[role] ?? '')]));
    },
  };
}

export const projectSuite = kq1Suite(FIXTURE_DIR);
export const sharedSuite = kq1Suite(SHARED_FIXTURE_DIR);

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'kiosk-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One NDJSON change-feed text from records. */
export function ndjson(records: readonly object[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
