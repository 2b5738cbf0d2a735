// The refusal log on a real audit log in a real SQLite file: a flood of refusals writes a bounded
// number of rows and says how many it left out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/audit-log.js';
import { auditMigrations } from '../audit/schema.js';
import { openDatabase, type Db } from '../store/db.js';
import { SignInRefusalLog } from './refusal-log.js';

let dir: string;
let db: Db;
let audit: AuditLog;
let log: SignInRefusalLog;
const T0 = Date.parse('2026-11-27T09:00:00Z');
const at = (ms: number) => new Date(T0 + ms);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-refusals-'));
  db = openDatabase(join(dir, 'kiosk.sqlite'), [auditMigrations]);
  audit = new AuditLog(db);
  log = new SignInRefusalLog((data, when) => audit.append({ type: 'staff-sign-in', deviceId: 'kiosk-1', data, at: when }));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SignInRefusalLog', () => {
  it('writes one row per held source per window, and every checked guess', () => {
    for (let i = 0; i < 100; i++) log.record({ staffId: 's1', source: '10.0.0.9', refused: 'LOCKED_OUT', pinChecked: false }, at(i));
    log.record({ staffId: 's1', source: '10.0.0.8', refused: 'UNAUTHORIZED', pinChecked: true }, at(200));
    log.record({ staffId: 's1', source: '10.0.0.8', refused: 'UNAUTHORIZED', pinChecked: true }, at(201));
    expect(audit.tail(10).map((r) => r.data)).toEqual([
      { staffId: 's1', source: '10.0.0.9', refused: 'LOCKED_OUT' },
      { staffId: 's1', source: '10.0.0.8', refused: 'UNAUTHORIZED' },
      { staffId: 's1', source: '10.0.0.8', refused: 'UNAUTHORIZED' },
    ]);
  });

  it('writes at most 50 refusal rows a window, then one row counting the rest', () => {
    for (let i = 0; i < 1000; i++) log.record({ staffId: `id${i}`, source: `10.0.${i >> 8}.${i & 255}`, refused: 'UNAUTHORIZED', pinChecked: true }, at(i));
    expect(audit.count()).toBe(50);
    log.record({ staffId: 's1', source: '10.0.0.1', refused: 'UNAUTHORIZED', pinChecked: true }, at(15 * 60_000));
    const [summary, next] = audit.tail(2);
    expect(summary!.data).toEqual({ refused: 'NOT_RECORDED', count: 950, from: at(0).toISOString(), to: at(15 * 60_000).toISOString() });
    expect(next!.data).toEqual({ staffId: 's1', source: '10.0.0.1', refused: 'UNAUTHORIZED' });
    expect(audit.verify().ok).toBe(true);
  });
});
