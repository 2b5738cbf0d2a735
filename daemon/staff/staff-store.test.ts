import { cacheMigrations } from '../store/cache-schema.js';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isKioskError, type KioskError } from '../errors.js';
import { openDatabase, type Db } from '../store/db.js';
import { staffMigrations } from './schema.js';
import { StaffStore } from './staff-store.js';

let dir: string;
let db: Db;
let store: StaffStore;
const T0 = new Date('2025-04-01T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

async function failure(p: Promise<unknown>): Promise<KioskError> {
  try {
    await p;
  } catch (e) {
    if (isKioskError(e)) return e;
    throw e;
  }
  throw new Error('expected a KioskError');
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-staff-'));
  db = openDatabase(join(dir, 'kiosk.sqlite'), [cacheMigrations, staffMigrations]);
  store = new StaffStore(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('accounts', () => {
  it('stores only an scrypt hash, never the PIN', async () => {
    await store.add('s01', 'Sato', '73915286');
    const { pin_hash } = db.prepare('SELECT pin_hash FROM staff').get() as { pin_hash: string };
    expect(pin_hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f)).includes('73915286')).toBe(false);
    await store.add('s02', 'Ito', '73915286');
    const hashes = db.prepare('SELECT pin_hash FROM staff').pluck().all();
    expect(new Set(hashes).size).toBe(2); // salted
  });

  it('validates and refuses duplicates; list shows no hashes', async () => {
    expect((await failure(store.add('s01', 'Sato', '123'))).code).toBe('BAD_REQUEST');
    expect((await failure(store.add('s01', 'Sato', '1234'))).message).toBe('a PIN is 6 to 12 digits');
    expect((await failure(store.add('s01', 'Sato', '12345'))).code).toBe('BAD_REQUEST');
    expect((await failure(store.add('s01', 'Sato', '12ab56'))).code).toBe('BAD_REQUEST');
    expect((await failure(store.add('s01', 'Sato', '1234567890123'))).code).toBe('BAD_REQUEST');
    await store.add('s01', 'Sato', '123456');
    expect((await failure(store.add('s01', 'Other', '567890'))).code).toBe('CONFLICT');
    const list = store.list();
    expect(list).toEqual([{ id: 's01', name: 'Sato', disabled: false, createdAt: expect.any(String) }]);
    expect(JSON.stringify(list)).not.toContain('scrypt');
  });
});

describe('sign-in', () => {
  beforeEach(async () => {
    await store.add('s01', 'Sato', '432187');
  });

  it('opens a session for the right PIN, refuses others with one message', async () => {
    const ok = await store.signIn('s01', '432187', T0);
    expect(ok.staff).toEqual({ id: 's01', name: 'Sato' });
    expect(ok.token).toMatch(/^[\w-]{43}$/);
    expect(ok.expiresAt).toBe(at(12 * 60).toISOString());
    expect(db.prepare('SELECT count(*) FROM staff_sessions WHERE token_hash = ?').pluck().get(ok.token)).toBe(0);
    const wrong = await failure(store.signIn('s01', '0000', T0));
    const unknown = await failure(store.signIn('nobody', '432187', T0));
    expect([wrong.code, unknown.code]).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED']);
    expect(unknown.message).toBe(wrong.message);
    store.disable('s01');
    expect((await failure(store.signIn('s01', '432187', T0))).message).toBe(wrong.message);
    expect(store.session(ok.token, T0)).toBeNull(); // disabling ends sessions
  });

  it('locks after 5 failures for 15 minutes, even the right PIN', async () => {
    for (let i = 0; i < 4; i++) expect((await failure(store.signIn('s01', '0000', at(i)))).code).toBe('UNAUTHORIZED');
    const fifth = await failure(store.signIn('s01', '0000', at(4)));
    expect(fifth.code).toBe('LOCKED_OUT');
    expect(fifth.context.retryAfterSeconds).toBe(15 * 60);
    const locked = await failure(store.signIn('s01', '432187', at(10)));
    expect(locked.code).toBe('LOCKED_OUT');
    expect(locked.context.retryAfterSeconds).toBe(9 * 60);
    expect((await store.signIn('s01', '432187', at(19))).staff.id).toBe('s01');
  });

  it('counts failures within 15 minutes only, and success resets the count', async () => {
    for (let i = 0; i < 4; i++) await failure(store.signIn('s01', '0000', at(i)));
    expect((await failure(store.signIn('s01', '0000', at(16)))).code).toBe('UNAUTHORIZED'); // window restarted
    for (let i = 0; i < 3; i++) await failure(store.signIn('s01', '0000', at(17)));
    await store.signIn('s01', '432187', at(18));
    for (let i = 0; i < 4; i++) expect((await failure(store.signIn('s01', '0000', at(19)))).code).toBe('UNAUTHORIZED');
  });

  it('locks unknown ids the same way', async () => {
    for (let i = 0; i < 4; i++) await failure(store.signIn('ghost', '0000', T0));
    expect((await failure(store.signIn('ghost', '0000', T0))).code).toBe('LOCKED_OUT');
  });

  it('does not let parallel guesses past the limit', async () => {
    // Eight guesses at once, the last one right: only five are checked, so the right one is refused.
    const guesses = ['0000', '1111', '2222', '3333', '5555', '6666', '7777', '432187'];
    const results = await Promise.allSettled(guesses.map((pin) => store.signIn('s01', pin, T0)));
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as KioskError).code : 'ok'));
    expect(codes).not.toContain('ok');
    expect(codes.at(-1)).toBe('LOCKED_OUT');
  });
});

describe('sessions', () => {
  beforeEach(async () => {
    await store.add('s01', 'Sato', '432187');
  });

  it('expire after 30 minutes idle; use keeps them alive', async () => {
    const { token } = await store.signIn('s01', '432187', T0);
    expect(store.session(token, at(29))).toEqual({ id: 's01', name: 'Sato' });
    expect(store.session(token, at(58))).toEqual({ id: 's01', name: 'Sato' });
    expect(store.session(token, at(88))).toBeNull();
    expect(store.session(token, at(89))).toBeNull();
  });

  it('expire 12 hours after sign-in however busy', async () => {
    const { token } = await store.signIn('s01', '432187', T0);
    for (let m = 20; m < 12 * 60; m += 20) expect(store.session(token, at(m))).not.toBeNull();
    expect(store.session(token, at(12 * 60))).toBeNull();
  });

  it('end on sign-out; unknown tokens are null', async () => {
    const { token } = await store.signIn('s01', '432187', T0);
    const other = await store.signIn('s01', '432187', T0);
    store.signOut(token);
    expect(store.session(token, T0)).toBeNull();
    expect(store.session(other.token, T0)).not.toBeNull();
    expect(store.session('not-a-token', T0)).toBeNull();
  });

  it('survive reopening the file', async () => {
    const { token } = await store.signIn('s01', '432187', T0);
    db.close();
    db = openDatabase(join(dir, 'kiosk.sqlite'), [cacheMigrations, staffMigrations]);
    expect(new StaffStore(db).session(token, at(1))).toEqual({ id: 's01', name: 'Sato' });
  });
});
