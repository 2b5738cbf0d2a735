// npm's pretest (scripts/system-packages.mjs) against stand-in commands: a copy of the script with
// its own list, a PATH holding only stub executables, and a stub apt-get that records its calls.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, tempDir } from './support/fixtures.js';

const SCRIPT = join(PROJECT_ROOT, 'scripts', 'system-packages.mjs');
const isRoot = process.getuid?.() === 0;

describe('pretest: system packages', () => {
  let tmp: ReturnType<typeof tempDir>;
  let bin: string;
  const log = () => (existsSync(join(tmp.dir, 'apt.log')) ? readFileSync(join(tmp.dir, 'apt.log'), 'utf8').trim().split('\n') : []);
  const stub = (name: string, body = 'exit 0') => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  /** apt-get that logs its arguments and, on install, makes the stub `beta` appear (or fails). */
  const aptGet = (installWorks: boolean) =>
    stub('apt-get', `echo "$*" >> "${tmp.dir}/apt.log"\ncase "$1" in install) ${installWorks ? `printf '#!/bin/sh\\n' > "${bin}/beta"; /bin/chmod 755 "${bin}/beta"` : 'exit 100'};; esac`);

  beforeEach(() => {
    tmp = tempDir('kiosk-pretest-');
    chmodSync(tmp.dir, 0o755); // readable by the unprivileged user of the non-root case
    bin = join(tmp.dir, 'bin');
    mkdirSync(join(tmp.dir, 'opt', 'tool-15', 'bin'), { recursive: true });
    mkdirSync(bin);
    copyFileSync(SCRIPT, join(tmp.dir, 'system-packages.mjs'));
    writeFileSync(
      join(tmp.dir, 'system-packages.txt'),
      `# command  package  why\nalpha  pkg-a  first tool\nbeta   pkg-b  second tool\n${tmp.dir}/opt/*/bin/gamma  pkg-c  a versioned path\n`,
    );
    stub('alpha');
    stub('beta');
    writeFileSync(join(tmp.dir, 'opt', 'tool-15', 'bin', 'gamma'), '#!/bin/sh\n');
    chmodSync(join(tmp.dir, 'opt', 'tool-15', 'bin', 'gamma'), 0o755);
  });
  afterEach(() => tmp.cleanup());

  const run = (prefix: string[] = []) => {
    const argv = [...prefix, process.execPath, join(tmp.dir, 'system-packages.mjs')];
    return spawnSync(argv[0]!, argv.slice(1), { env: { PATH: bin }, encoding: 'utf8', timeout: 20_000 });
  };

  it('with every command present: exit 0, silent, no apt-get call', () => {
    aptGet(true);
    const r = run();
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(log()).toEqual([]);
  });

  it.runIf(isRoot)('as root with apt-get: updates, installs only the missing package, checks again', () => {
    aptGet(true);
    chmodSync(join(bin, 'beta'), 0o644); // present but not executable counts as missing
    const r = run();
    expect(r.status, r.stderr).toBe(0);
    expect(log()).toEqual(['update -qq', 'install -y -qq pkg-b']);
    expect(r.stderr).toContain('beta (Debian package pkg-b): second tool');
    expect(r.stderr).toContain('installed: pkg-b');
  });

  it.runIf(isRoot)('as root, a failed install prints the command to run and exits 1', () => {
    aptGet(false);
    writeFileSync(join(tmp.dir, 'system-packages.txt'), 'alpha pkg-a x\nbeta pkg-b y\nbeta2 pkg-b y\nnone pkg-n z\n');
    const r = run();
    expect(r.status).toBe(1);
    expect(log()).toEqual(['update -qq', 'install -y -qq pkg-b pkg-n']); // each package once
    expect(r.stderr).toContain('apt-get update && apt-get install -y pkg-b pkg-n\n');
  });

  it('without root: installs nothing, prints the sudo command and exits 1', () => {
    aptGet(true);
    writeFileSync(join(tmp.dir, 'system-packages.txt'), `alpha pkg-a x\nmissing-one pkg-m y\n${tmp.dir}/opt/*/bin/nothing pkg-p z\n`);
    // As root, drop to nobody for this run; a developer who is not root runs it as is.
    const r = run(isRoot ? ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] : []);
    expect(r.status, r.stderr).toBe(1);
    expect(log()).toEqual([]);
    expect(r.stderr).toContain('sudo apt-get update && sudo apt-get install -y pkg-m pkg-p\n');
  });
});

describe('the project list (scripts/system-packages.txt)', () => {
  it('every command it names is here, as npm test installs them first', () => {
    const r = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
