// `npm run fixtures`: writes the project's KQ1 suite to tests/fixtures/kq1 (run from the project root).
// `npm run fixtures -- --check` writes nothing and exits 1 if a committed file differs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildKq1Fixtures } from './kq1-fixtures/index.js';

const OUT = join(process.cwd(), 'tests', 'fixtures', 'kq1');
const check = process.argv.includes('--check');
const files = buildKq1Fixtures();
let stale = 0;
if (!check) mkdirSync(OUT, { recursive: true });
for (const [name, text] of Object.entries(files)) {
  const path = join(OUT, name);
  let current: string | null = null;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // missing: written below, or reported as stale
  }
  if (current === text) continue;
  stale++;
  if (check) console.log(`${path}: differs from what scripts/generate-fixtures.ts makes`);
  else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
if (stale === 0) console.log(`${OUT}: up to date`);
process.exit(check && stale > 0 ? 1 : 0);
