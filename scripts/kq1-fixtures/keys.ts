// The fixture suite's signing keys. Test-only: each seed is derived from its role's name, so the
// generator makes the same keys, the same signatures (Ed25519 is deterministic) and the same files
// on every run. Never trust these keys anywhere but in tests.
import { createHash } from 'node:crypto';
import { signingKeyFromSeed, type SigningKey } from '../../sync/issuing/kq1-issuer.js';

/** What each key is for in the suite; `withdrawn` and `stranger` are absent from the cache. */
export const KEY_ROLES = {
  /** Signs today's codes. */
  current: 'kq-2026a',
  /** Signed until the rotation on 2026-02-01; its older codes stay good. */
  old: 'kq-2025a',
  /** Published, then revoked by a later feed record. */
  revoked: 'kq-2026r',
  /** Valid only from 2027: a code it signs today is outside its window. */
  future: 'kq-2027a',
  /** Published, then deleted by a later feed record. */
  withdrawn: 'kq-2024w',
  /** Never published. */
  stranger: 'kq-unknown',
} as const;

export type KeyRole = keyof typeof KEY_ROLES;

export function seedOf(role: KeyRole): string {
  return createHash('sha256').update(`kiosk KQ1 test fixture key: ${role}`).digest('base64');
}

export function fixtureSigningKeys(): Record<KeyRole, SigningKey> {
  const keys = {} as Record<KeyRole, SigningKey>;
  for (const role of Object.keys(KEY_ROLES) as KeyRole[]) keys[role] = signingKeyFromSeed(KEY_ROLES[role], seedOf(role));
  return keys;
}

/** signing-keys.json: the kids and seeds by role, the same layout as any KQ1 suite's. */
export function signingKeysFile(): object {
  const roles = Object.keys(KEY_ROLES) as KeyRole[];
  return {
    note: 'TEST KEYS ONLY: Ed25519 32-byte seeds (base64), made by scripts/generate-fixtures.ts; never trust them outside tests',
    kids: Object.fromEntries(roles.map((r) => [r, KEY_ROLES[r]])),
    seeds: Object.fromEntries(roles.map((r) => [r, seedOf(r)])),
  };
}
