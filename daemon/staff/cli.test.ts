// `kiosk staff …` as an operator runs it: the CLI compiled to a private directory (so a build
// here never disturbs dist/), in a child process, on a real data directory.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/audit-log.js';
import { auditMigrations } from '../audit/schema.js';
import { openDatabase } from '../store/db.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let out: string;
let data: string;
const kiosk = (args: string[], input?: string) =>
  spawnSync(process.execPath, [join(out, 'daemon/cli/main.js'), ...args, '--data', data], { input, encoding: 'utf8', timeout: 60_000 });

beforeAll(() => {
  // Inside node_modules so the build finds the dependencies, and git ignores it.
  out = mkdtempSync(join(ROOT, 'node_modules/.kiosk-staff-cli-'));
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out, '--sourceMap', 'false'], { encoding: 'utf8' });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  expect(existsSync(join(out, 'daemon/cli/staff-commands.js'))).toBe(true);
  data = mkdtempSync(join(tmpdir(), 'kiosk-staff-cli-'));
});
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
});

describe('kiosk staff', () => {
  it('adds an account with the PIN from a pipe, lists it, disables it', () => {
    const added = kiosk(['staff', 'add', 's01', '--name', '佐藤'], '482916\n');
    expect([added.status, added.stderr]).toEqual([0, 'added staff s01 (佐藤)\n']);
    const list = kiosk(['staff', 'list', '--json']);
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({ id: 's01', name: '佐藤', disabled: false });
    expect(list.stdout).not.toMatch(/scrypt|482916/);
    expect(kiosk(['staff', 'disable', 's01']).status).toBe(0);
    expect(kiosk(['staff', 'list']).stdout).toMatch(/^s01\s+disabled\s/);
  });

  it('refuses a bad PIN, a duplicate and an unknown id with one line and a non-zero exit', () => {
    const short = kiosk(['staff', 'add', 's02', '--name', 'Ito'], '12\n');
    expect([short.status, short.stderr]).toEqual([1, 'kiosk: a PIN is 6 to 12 digits\n']);
    // Four digits fall to an offline search of a stolen database file in minutes.
    const four = kiosk(['staff', 'add', 's02', '--name', 'Ito'], '5555\n');
    expect([four.status, four.stderr]).toEqual([1, 'kiosk: a PIN is 6 to 12 digits\n']);
    const empty = kiosk(['staff', 'add', 's02', '--name', 'Ito'], '');
    expect([empty.status, empty.stderr]).toEqual([2, 'kiosk: no PIN on stdin\n']);
    expect(kiosk(['staff', 'add', 's03', '--name', 'Ito'], '555555\n').status).toBe(0);
    const dup = kiosk(['staff', 'add', 's03', '--name', 'Ito'], '555555\n');
    expect([dup.status, dup.stderr]).toEqual([1, 'kiosk: staff s03 already exists\n']);
    const unknown = kiosk(['staff', 'disable', 'nobody']);
    expect([unknown.status, unknown.stderr]).toEqual([1, 'kiosk: no staff nobody\n']);
  });
});

describe('kiosk audit', () => {
  it('verifies an empty log and tails nothing', () => {
    const r = kiosk(['audit', 'verify']);
    expect([r.status, r.stdout]).toEqual([0, `audit log OK: 0 rows checked; last hash ${'0'.repeat(64)}\n`]);
    expect(kiosk(['audit', 'tail', '-n', '5'])).toMatchObject({ status: 0, stdout: '' });
    expect(kiosk(['audit', 'tail', '-n', 'many']).status).toBe(2);
  });

  it('prints NDJSON rows, and exits 1 naming the row where the chain breaks', () => {
    const file = join(data, 'kiosk.sqlite');
    const db = openDatabase(file, [auditMigrations]);
    const log = new AuditLog(db);
    for (const type of ['scan', 'verdict', 'ticket'] as const) log.append({ type, deviceId: 'kiosk-1', data: { code: 'KQ1PMR…(309)' } });
    db.close();
    const tail = kiosk(['audit', 'tail', '-n', '2']);
    expect(tail.stdout.trim().split('\n').map((l) => JSON.parse(l).type)).toEqual(['verdict', 'ticket']);
    expect(kiosk(['audit', 'verify']).stdout).toMatch(/^audit log OK: 3 rows checked/);
    const raw = new Database(file);
    raw.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET type = 'call' WHERE seq = 2;");
    raw.close();
    const r = kiosk(['audit', 'verify']);
    expect([r.status, r.stderr]).toEqual([1, 'kiosk: audit log broken at seq 2: hash does not match the row content (2 rows checked)\n']);
  });
});
