// Device tokens: 256 random bits, shown once at enrolment; the hub keeps only their SHA-256.
// A plain hash (no salt, no slow KDF) is enough for random tokens of this length, and it lets the
// hub find a token by its hash with one indexed lookup.
import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'kh1_';

export function newToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token's shape, checked before any lookup so garbage never reaches the database. */
export function looksLikeToken(token: string): boolean {
  return /^kh1_[A-Za-z0-9_-]{43}$/.test(token);
}

export const DEVICE_ID = /^[\w.-]{1,64}$/;
export const OFFICE_CODE = /^[0-9A-Za-z-]{1,16}$/;
