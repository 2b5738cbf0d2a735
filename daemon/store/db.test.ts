import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, withRelaxedSync } from './db.js';

describe('withRelaxedSync', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const open = (synchronous?: 'full' | 'normal') => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-db-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'x.sqlite'), [], synchronous ? { synchronous } : {});
    db.exec('CREATE TABLE t (v INTEGER)');
    return db;
  };
  const sync = (db: ReturnType<typeof open>) => db.pragma('synchronous', { simple: true });

  it('commits with NORMAL and puts FULL back, also when the write throws', () => {
    const db = open();
    expect(sync(db)).toBe(2);
    expect(withRelaxedSync(db, () => (db.prepare('INSERT INTO t VALUES (1)').run(), sync(db)))).toBe(1);
    expect(sync(db)).toBe(2);
    expect(() => withRelaxedSync(db, () => db.prepare('INSERT INTO nope VALUES (1)').run())).toThrow(/no such table/);
    expect(sync(db)).toBe(2);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    db.close();
  });

  it('leaves a connection opened with NORMAL as it is', () => {
    const db = open('normal');
    withRelaxedSync(db, () => db.prepare('INSERT INTO t VALUES (1)').run());
    expect(sync(db)).toBe(1);
    db.close();
  });
});
