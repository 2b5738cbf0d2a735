// Drivers stand alone: nothing under drivers/ imports from the daemon or sync, and protocol/ stays
// browser-safe (no node:*, nothing outside itself). Read from the source files, so a new import is caught here.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

/** Every relative or package import of a file, resolved to a path under the root where relative. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
  return specs.map((s) => (s.startsWith('.') ? relative(root, resolve(root, dirname(file), s)) : s));
}

it('drivers/ imports nothing from daemon/ or sync/', () => {
  const offending = sources('drivers').flatMap((f) => importsOf(f).filter((i) => /^(daemon|sync)\//.test(i)).map((i) => `${f} → ${i}`));
  expect(offending).toEqual([]);
});

it('protocol/ imports only protocol/ and packages, nothing from node:* (browser-safe)', () => {
  const local = (i: string) => /^(daemon|drivers|sync|protocol|kiosk-ui|tests|bench)\//.test(i);
  const offending = sources('protocol').flatMap((f) => importsOf(f).filter((i) => i.startsWith('node:') || (local(i) && !i.startsWith('protocol/'))).map((i) => `${f} → ${i}`));
  expect(offending).toEqual([]);
});

it('the core imports neither drivers/ nor sync/ (its tests may)', () => {
  const offending = sources('daemon/core').filter((f) => !f.endsWith('.test.ts')).flatMap((f) => importsOf(f).filter((i) => /^(drivers|sync)\//.test(i)).map((i) => `${f} → ${i}`));
  expect(offending).toEqual([]);
});
