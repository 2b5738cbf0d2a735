import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.js';
import { AuditLog, GENESIS_HASH } from './audit-log.js';
import { canonicalJson } from './canonical.js';
import { auditMigrations } from './schema.js';

let dir: string;
let file: string;
let db: Db;
let log: AuditLog;

/** An attacker with the file: a second connection that drops the triggers first. */
function tamper(sql: string, ...params: unknown[]): void {
  const raw = new Database(file);
  raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  if (params.length === 0) raw.exec(sql);
  else raw.prepare(sql).run(...params);
  raw.close();
}

function fill(n: number): void {
  for (let i = 1; i <= n; i++) {
    log.append({ type: 'scan', deviceId: 'kiosk-1', scanId: `scan-${i}`, data: { i, code: 'KQ1PMR…(309)' }, at: new Date(Date.UTC(2025, 3, 1, 9, 0, i)) });
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-audit-'));
  file = join(dir, 'kiosk.sqlite');
  db = openDatabase(file, [auditMigrations]);
  log = new AuditLog(db);
});
afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('append', () => {
  it('chains rows from the genesis hash', () => {
    const a = log.append({ type: 'staff-sign-in', deviceId: 'counter-1', staffId: 's01', data: { b: 1, a: { y: 2, x: 1 } } });
    const b = log.append({ type: 'handover', deviceId: 'counter-1', staffId: 's01', data: { receipt: '*************4567' } });
    expect(a.seq).toBe(1);
    expect(a.prevHash).toBe(GENESIS_HASH);
    expect(b.seq).toBe(2);
    expect(b.prevHash).toBe(a.hash);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(log.verify()).toEqual({ ok: true, rows: 2, lastHash: b.hash });
    expect(log.tail(1)).toEqual([b]);
  });

  it('refuses UPDATE and DELETE through SQL', () => {
    fill(2);
    expect(() => db.prepare("UPDATE audit_log SET type = 'call' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
    expect(log.count()).toBe(2);
  });

  it('rolls back with the caller’s transaction', () => {
    fill(1);
    expect(() =>
      db.transaction(() => {
        log.append({ type: 'ticket', deviceId: 'kiosk-1', data: {} });
        throw new Error('printer on fire');
      })(),
    ).toThrow('printer on fire');
    expect(log.count()).toBe(1);
    expect(log.append({ type: 'ticket', deviceId: 'kiosk-1', data: {} }).seq).toBe(2);
    expect(log.verify().ok).toBe(true);
  });

  it('survives reopening the file', () => {
    fill(3);
    db.close();
    db = openDatabase(file, [auditMigrations]);
    log = new AuditLog(db);
    fill(2);
    expect(log.verify()).toMatchObject({ ok: true, rows: 5 });
  });

  it('refuses unknown types', () => {
    expect(() => log.append({ type: 'nonsense' as 'scan', deviceId: 'k', data: {} })).toThrow(/unknown audit type/);
  });
});

describe('verify detects tampering', () => {
  beforeEach(() => fill(5));

  it('an edited data field', () => {
    tamper("UPDATE audit_log SET data = json_set(data, '$.i', 99) WHERE seq = 3");
    expect(log.verify()).toMatchObject({ ok: false, brokenAt: 3, rows: 3, problem: expect.stringMatching(/hash/) });
  });

  it('an edited column', () => {
    tamper("UPDATE audit_log SET staff_id = 'mallory' WHERE seq = 4");
    expect(log.verify()).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it('an edit with the row hash recomputed', () => {
    // The attacker fixes the row's own hash; the next row's prev_hash gives it away.
    const row = db.prepare('SELECT * FROM audit_log WHERE seq = 2').get() as Record<string, string | number>;
    const content = canonicalJson({ seq: 2, at: row.at, type: 'verdict', deviceId: row.device_id, staffId: null, scanId: row.scan_id, data: JSON.parse(row.data as string) });
    const forged = createHash('sha256').update(String(row.prev_hash) + content).digest('hex');
    tamper("UPDATE audit_log SET type = 'verdict', hash = ? WHERE seq = 2", forged);
    expect(log.verify()).toMatchObject({ ok: false, brokenAt: 3, problem: expect.stringMatching(/prev_hash/) });
  });

  it('a deleted row in the middle', () => {
    tamper('DELETE FROM audit_log WHERE seq = 3');
    expect(log.verify()).toMatchObject({ ok: false, brokenAt: 4, problem: expect.stringMatching(/missing/) });
  });

  it('a deleted first row', () => {
    tamper('DELETE FROM audit_log WHERE seq = 1');
    expect(log.verify()).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('rows swapped', () => {
    tamper('UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = -2;');
    expect(log.verify()).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('a truncated tail, given the last hash noted before', () => {
    const noted = log.verify().lastHash;
    tamper('DELETE FROM audit_log WHERE seq = 5');
    const now = log.verify();
    expect(now.ok).toBe(true);
    expect(now.lastHash).not.toBe(noted);
  });
});
