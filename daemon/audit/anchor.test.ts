// The anchor keeper on a real SQLite file: it follows the head while rows come, writes the last one
// at stop, and never moves an anchor the log no longer agrees with (it reports that instead).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.js';
import { ANCHOR_FILE, AuditAnchorKeeper, advanceAnchor } from './anchor.js';
import { AuditLog } from './audit-log.js';
import { auditMigrations } from './schema.js';

let dir: string;
let db: Db;
let log: AuditLog;
const anchor = () => JSON.parse(readFileSync(join(dir, ANCHOR_FILE), 'utf8')) as { seq: number; hash: string };
const append = (n: number) => {
  for (let i = 0; i < n; i++) log.append({ type: 'scan', deviceId: 'k1', data: { i } });
};
const nextTick = () => new Promise((r) => setImmediate(r));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-anchor-'));
  db = openDatabase(join(dir, 'kiosk.sqlite'), [auditMigrations]);
  log = new AuditLog(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('AuditAnchorKeeper', () => {
  it('advances every N rows once the transaction is over, and at stop', async () => {
    const problems: string[] = [];
    const keeper = new AuditAnchorKeeper(log, dir, (m) => problems.push(m), { rows: 3, ms: 60_000 });
    keeper.start();
    db.transaction(() => append(3))();
    await nextTick();
    expect(anchor()).toEqual({ seq: 3, hash: log.latest()!.hash, at: expect.any(String) });
    expect(statSync(join(dir, ANCHOR_FILE)).mode & 0o777).toBe(0o600);
    append(2);
    keeper.stop();
    expect(anchor().seq).toBe(5);
    expect(problems).toEqual([]);
  });

  it('a row rolled back with its transaction is never anchored', async () => {
    const keeper = new AuditAnchorKeeper(log, dir, () => {}, { rows: 1, ms: 60_000 });
    keeper.start();
    append(1);
    await nextTick();
    expect(() => db.transaction(() => { append(1); throw new Error('the effect failed'); })()).toThrow('the effect failed');
    await nextTick();
    keeper.stop();
    expect(anchor().seq).toBe(1);
  });

  it('on a log that disagrees with the anchor it reports at start and leaves the anchor as it is', () => {
    append(4);
    writeFileSync(join(dir, ANCHOR_FILE), JSON.stringify({ seq: 9, hash: 'a'.repeat(64) }));
    const problems: string[] = [];
    const keeper = new AuditAnchorKeeper(log, dir, (m) => problems.push(m), { rows: 1, ms: 60_000 });
    keeper.start();
    append(10);
    keeper.stop();
    expect(problems).toEqual([expect.stringMatching(/^audit log: the log ends at seq 4, but the anchor file .* saw seq 9: rows were removed from its end/)]);
    expect(anchor().seq).toBe(9);
    expect(advanceAnchor(dir, log)).toBe(false);
  });
});
