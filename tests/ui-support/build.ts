// The UI tests drive the built bundle (dist/kiosk-ui), as the daemon serves it. Build once if missing
// or older than the sources, so `vitest run tests/ui-*` works without `npm run build` first.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export async function ensureUiBuilt(): Promise<void> {
  const index = join(ROOT, 'dist/kiosk-ui/index.html');
  const sources = Math.max(newest(join(ROOT, 'kiosk-ui/src')), newest(join(ROOT, 'protocol')), statSync(join(ROOT, 'kiosk-ui/index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  await promisify(execFile)('npx', ['vite', 'build', '--config', 'kiosk-ui/vite.config.ts', '--logLevel', 'error'], { cwd: ROOT });
}
