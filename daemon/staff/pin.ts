// PIN hashing with scrypt (node:crypto). Stored form: scrypt$N$r$p$salt$hash, salt and hash base64url.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { KioskError } from '../errors.js';

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function scryptAsync(pin: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export const PIN_RULE = 'a PIN is 6 to 12 digits';

/**
 * A PIN is 6 to 12 ASCII digits. Fewer are too few against an offline search of a stolen database
 * file: all 10^4 four-digit PINs fall to scrypt in about two minutes on one core; 10^6 take days.
 */
export function validatePin(pin: string): void {
  if (!/^[0-9]{6,12}$/.test(pin)) throw new KioskError(PIN_RULE, 'BAD_REQUEST');
}

export async function hashPin(pin: string): Promise<string> {
  validatePin(pin);
  const salt = randomBytes(SALT_LENGTH);
  const hash = await scryptAsync(pin, salt, KEY_LENGTH, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Whether `pin` matches a stored hash. A malformed stored hash never matches. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![n, r, p].every((x) => Number.isSafeInteger(x) && x > 0)) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length === 0 || expected.length === 0) return false;
  const actual = await scryptAsync(pin, salt, expected.length, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}

/** Spend the same work as verifyPin against a throwaway salt, so an unknown id answers as slowly as a known one. */
export async function burnPinCheck(pin: string): Promise<void> {
  await scryptAsync(pin, randomBytes(SALT_LENGTH), KEY_LENGTH, { N, r: R, p: P });
}
