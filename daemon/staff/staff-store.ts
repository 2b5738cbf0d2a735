// Staff accounts, PIN sign-in (throttled: sign-in-throttle.ts) and sessions. Write methods are
// synchronous (so they can join a caller's transaction) except add and signIn, which wait for scrypt.
import { createHash, randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { KioskError } from '../errors.js';
import type { Db } from '../store/db.js';
import { burnPinCheck, hashPin, validatePin, verifyPin } from './pin.js';
import { LOCAL_SOURCE, SignInThrottle } from './sign-in-throttle.js';
import { WorkGate } from './work-gate.js';

/**
 * scrypt checks at once (one per core) and waiting; more are answered BUSY at once. Sources that
 * signed in as the id before have a line of their own, served first.
 */
export const PIN_CHECKS_RUNNING = 2;
export const PIN_CHECKS_WAITING = 8;
export const PIN_CHECKS_PRIORITY_WAITING = 4;
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

interface SessionRow {
  staff_id: string;
  expires_at: number;
  last_used_at: number;
  name: string;
  disabled: number;
}

export interface StaffStoreOptions {
  throttle?: SignInThrottle;
  pinChecks?: WorkGate;
}

export class StaffStore {
  private readonly byId: Statement<[string], StaffRow>;
  private readonly sessionOf: Statement<[string], SessionRow>;
  private readonly throttle: SignInThrottle;
  private readonly pinChecks: WorkGate;

  constructor(
    private readonly db: Db,
    options: StaffStoreOptions = {},
  ) {
    this.throttle = options.throttle ?? new SignInThrottle();
    this.pinChecks = options.pinChecks ?? new WorkGate(PIN_CHECKS_RUNNING, PIN_CHECKS_WAITING, PIN_CHECKS_PRIORITY_WAITING);
    this.byId = db.prepare('SELECT id, name, pin_hash, disabled, created_at FROM staff WHERE id = ?');
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
   * Check a PIN from `source` (sourceOf(remote address)) and open a session. Wrong PIN, unknown or
   * disabled id: UNAUTHORIZED (one message). LOCKED_OUT (context.retryAfterSeconds) when the
   * throttle holds the source, the id on that source, or the id everywhere; BUSY when too many
   * checks are running. Unknown ids cost the same scrypt work and are throttled alike.
   */
  async signIn(staffId: string, pin: string, now = new Date(), source = LOCAL_SOURCE): Promise<SignInResult> {
    const t = now.getTime();
    const attempt = this.throttle.admit(source, staffId, t);
    let row: StaffRow | undefined;
    let ok: boolean;
    try {
      row = this.byId.get(staffId);
      const stored = row?.pin_hash;
      const check = () => (stored ? verifyPin(pin, stored) : burnPinCheck(pin).then(() => false));
      ok = await this.pinChecks.run(check, { priority: attempt.trusted });
    } catch (e) {
      attempt.cancelled();
      throw e;
    }
    if (!ok || !row || row.disabled) throw attempt.failed(t);
    attempt.succeeded(t);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = t + SESSION_ABSOLUTE_MS;
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at, last_used_at) VALUES (?, ?, ?, ?, ?)')
        .run(tokenHash(token), staffId, t, expiresAt, t);
      this.db.prepare('DELETE FROM staff_sessions WHERE expires_at <= ? OR last_used_at <= ?').run(t, t - SESSION_IDLE_MS);
    })();
    return { token, expiresAt: new Date(expiresAt).toISOString(), staff: { id: row.id, name: row.name } };
  }

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
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

