// The shared KQ1 conformance suite (../shared/fixtures/kq1) and helpers to build suites of our own.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signingKeyFromSeed, type SigningKey } from '../../sync/issuing/kq1-issuer.js';

export const FIXTURE_DIR = new URL('../../../shared/fixtures/kq1/', import.meta.url);

export interface ConformanceCase {
  name: string;
  device: { office: string; mode: 'kiosk' | 'counter' };
  now: string;
  text: string;
  expect: { outcome: string; reason: string | null; collect: string[]; excluded: string[]; codeType?: string };
}

export function publicFeedText(): string {
  return readFileSync(new URL('feed.ndjson', FIXTURE_DIR), 'utf8');
}

export function publicCases(): ConformanceCase[] {
  return JSON.parse(readFileSync(new URL('cases.json', FIXTURE_DIR), 'utf8')) as ConformanceCase[];
}

/** The fixture's test-only signing keys, by role: current, old, revoked, stranger. */
export function fixtureKeys(): Record<'current' | 'old' | 'revoked' | 'stranger', SigningKey> {
  const file = JSON.parse(readFileSync(new URL('signing-keys.json', FIXTURE_DIR), 'utf8')) as {
    kids: Record<string, string>;
    seeds: Record<string, string>;
  };
  const key = (role: string) => signingKeyFromSeed(file.kids[role]!, file.seeds[role]!);
  return { current: key('current'), old: key('old'), revoked: key('revoked'), stranger: key('stranger') };
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'kiosk-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One NDJSON change-feed text from records. */
export function ndjson(records: readonly object[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
