// Staff accounts, PIN sign-in with lockout, and sessions. Write methods are synchronous (so they
// can join a caller's transaction) except add and signIn, which wait for scrypt first.
import { createHash, randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { KioskError } from '../errors.js';
import type { Db } from '../store/db.js';
import { burnPinCheck, hashPin, validatePin, verifyPin } from './pin.js';

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;
export const LOCKOUT_MS = 15 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
export const SESSION_IDLE_MS = 30 * 60_000;

export interface Staff {
  id: string;
  name: string;
}

export interface StaffListing extends Staff {
  disabled: boolean;
  createdAt: string;
}

export interface SignInResult {
  /** Shown once; only its SHA-256 is stored. */
  token: string;
  /** Absolute expiry (ISO-8601); the session also ends after 30 minutes unused. */
  expiresAt: string;
  staff: Staff;
}

interface StaffRow {
  id: string;
  name: string;
  pin_hash: string;
  disabled: number;
  created_at: string;
}

interface FailureRow {
  failures: number;
  window_start: number;
  locked_until: number | null;
}

interface SessionRow {
  staff_id: string;
  expires_at: number;
  last_used_at: number;
  name: string;
  disabled: number;
}

const WRONG = 'wrong staff id or PIN';

export class StaffStore {
  private readonly byId: Statement<[string], StaffRow>;
  private readonly failuresOf: Statement<[string], FailureRow>;
  private readonly sessionOf: Statement<[string], SessionRow>;

  constructor(private readonly db: Db) {
    this.byId = db.prepare('SELECT id, name, pin_hash, disabled, created_at FROM staff WHERE id = ?');
    this.failuresOf = db.prepare('SELECT failures, window_start, locked_until FROM staff_sign_in_failures WHERE staff_id = ?');
    this.sessionOf = db.prepare(
      `SELECT s.staff_id, s.expires_at, s.last_used_at, st.name, st.disabled
       FROM staff_sessions s JOIN staff st ON st.id = s.staff_id WHERE s.token_hash = ?`,
    );
  }

  async add(id: string, name: string, pin: string, now = new Date()): Promise<Staff> {
    if (!/^[A-Za-z0-9._-]{1,32}$/.test(id)) throw new KioskError('a staff id is 1 to 32 letters, digits, ".", "_" or "-"', 'BAD_REQUEST', { id });
    const trimmed = name.trim();
    if (trimmed === '' || trimmed.length > 100) throw new KioskError('a staff name is 1 to 100 characters', 'BAD_REQUEST', { id });
    validatePin(pin);
    if (this.byId.get(id)) throw new KioskError(`staff ${id} already exists`, 'CONFLICT', { id });
    const pinHash = await hashPin(pin);
    try {
      this.db.prepare('INSERT INTO staff (id, name, pin_hash, created_at) VALUES (?, ?, ?, ?)').run(id, trimmed, pinHash, now.toISOString());
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new KioskError(`staff ${id} already exists`, 'CONFLICT', { id });
      throw e;
    }
    return { id, name: trimmed };
  }

  list(): StaffListing[] {
    return this.db
      .prepare<[], Omit<StaffRow, 'pin_hash'>>('SELECT id, name, disabled, created_at FROM staff ORDER BY id')
      .all()
      .map((r) => ({ id: r.id, name: r.name, disabled: r.disabled !== 0, createdAt: r.created_at }));
  }

  /** Disable an account and end its sessions. Disabling a disabled account changes nothing. */
  disable(id: string, now = new Date()): void {
    const row = this.byId.get(id);
    if (!row) throw new KioskError(`no staff ${id}`, 'NOT_FOUND', { id });
    if (row.disabled) return;
    this.db.transaction(() => {
      this.db.prepare('UPDATE staff SET disabled = 1, disabled_at = ? WHERE id = ?').run(now.toISOString(), id);
      this.db.prepare('DELETE FROM staff_sessions WHERE staff_id = ?').run(id);
    })();
  }

  /**
   * Check a PIN and open a session. Wrong PIN, unknown or disabled id: UNAUTHORIZED (one message).
   * The 5th failure within 15 minutes locks the id for 15 minutes: LOCKED_OUT with
   * context.retryAfterSeconds, even for the right PIN. Each attempt is counted before scrypt
   * runs, so parallel guesses cannot get past the limit; success clears the count.
   */
  async signIn(staffId: string, pin: string, now = new Date()): Promise<SignInResult> {
    const t = now.getTime();
    this.countAttempt(staffId, t);
    const row = this.byId.get(staffId);
    const ok = row ? await verifyPin(pin, row.pin_hash) : (await burnPinCheck(pin), false);
    if (!ok || !row || row.disabled) {
      this.refuseIfLocked(staffId, t);
      throw new KioskError(WRONG, 'UNAUTHORIZED');
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = t + SESSION_ABSOLUTE_MS;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM staff_sign_in_failures WHERE staff_id = ?').run(staffId);
      this.db
        .prepare('INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at, last_used_at) VALUES (?, ?, ?, ?, ?)')
        .run(tokenHash(token), staffId, t, expiresAt, t);
      this.db.prepare('DELETE FROM staff_sessions WHERE expires_at <= ? OR last_used_at <= ?').run(t, t - SESSION_IDLE_MS);
    })();
    return { token, expiresAt: new Date(expiresAt).toISOString(), staff: { id: row.id, name: row.name } };
  }

  /** The staff member a token belongs to, or null when it is unknown, expired or idle too long. Touches the session. */
  /** The staff member a live session belongs to; `touch: false` checks without counting as use. */
  session(token: string, now = new Date(), { touch = true }: { touch?: boolean } = {}): Staff | null {
    const t = now.getTime();
    const hash = tokenHash(token);
    const row = this.sessionOf.get(hash);
    if (!row) return null;
    if (row.expires_at <= t || row.last_used_at + SESSION_IDLE_MS <= t || row.disabled) {
      this.db.prepare('DELETE FROM staff_sessions WHERE token_hash = ?').run(hash);
      return null;
    }
    if (touch) this.db.prepare('UPDATE staff_sessions SET last_used_at = max(last_used_at, ?) WHERE token_hash = ?').run(t, hash);
    return { id: row.staff_id, name: row.name };
  }

  signOut(token: string): void {
    this.db.prepare('DELETE FROM staff_sessions WHERE token_hash = ?').run(tokenHash(token));
  }

  /** Refuse a locked id; otherwise count this attempt as a failure until it succeeds. */
  private countAttempt(staffId: string, t: number): void {
    this.db.transaction(() => {
      this.refuseIfLocked(staffId, t);
      const row = this.failuresOf.get(staffId);
      if (!row || t - row.window_start >= FAILURE_WINDOW_MS) {
        this.db
          .prepare(
            `INSERT INTO staff_sign_in_failures (staff_id, failures, window_start, locked_until) VALUES (?, 1, ?, NULL)
             ON CONFLICT (staff_id) DO UPDATE SET failures = 1, window_start = excluded.window_start, locked_until = NULL`,
          )
          .run(staffId, t);
        // Forget stale rows for ids typed long ago, so random ids do not pile up.
        this.db.prepare('DELETE FROM staff_sign_in_failures WHERE window_start <= ? AND coalesce(locked_until, 0) <= ?').run(t - FAILURE_WINDOW_MS, t);
        return;
      }
      const failures = row.failures + 1;
      const lockedUntil = failures >= MAX_FAILURES ? t + LOCKOUT_MS : null;
      this.db.prepare('UPDATE staff_sign_in_failures SET failures = ?, locked_until = ? WHERE staff_id = ?').run(failures, lockedUntil, staffId);
    }).immediate();
  }

  private refuseIfLocked(staffId: string, t: number): void {
    const lockedUntil = this.failuresOf.get(staffId)?.locked_until;
    if (lockedUntil != null && lockedUntil > t) {
      const retryAfterSeconds = Math.ceil((lockedUntil - t) / 1000);
      throw new KioskError(`too many failed sign-ins; try again in ${Math.ceil(retryAfterSeconds / 60)} min`, 'LOCKED_OUT', { retryAfterSeconds });
    }
  }
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

