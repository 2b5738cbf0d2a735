// Mints KQ1 codes (docs/code-format.md): what the portal does, for the reference hub, the demo and tests.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { base32 } from 'rfc4648';

/** PKCS#8 DER header for a raw 32-byte Ed25519 seed (RFC 8410). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** base64 of the raw 32-byte public key, as a feed `key` record carries it. */
  publicKeyBase64: string;
}

export function signingKeyFromSeed(kid: string, seedBase64: string): SigningKey {
  const seed = Buffer.from(seedBase64, 'base64');
  if (seed.length !== 32) throw new Error(`signing key ${kid}: a seed is 32 bytes, got ${seed.length}`);
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return { kid, privateKey, publicKeyBase64: rawPublicKey(privateKey) };
}

export function generateSigningKey(kid: string): SigningKey & { seedBase64: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return { kid, privateKey, publicKeyBase64: rawPublicKey(privateKey), seedBase64: der.subarray(PKCS8_ED25519_PREFIX.length).toString('base64') };
}

function rawPublicKey(privateKey: KeyObject): string {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url').toString('base64');
}

/** Sign exact payload bytes: `KQ1` + BASE32(payload || Ed25519("KQ1" || payload)). */
export function mintFromBytes(payload: Uint8Array, key: SigningKey): string {
  const signature = sign(null, Buffer.concat([Buffer.from('KQ1'), payload]), key.privateKey);
  return 'KQ1' + base32.stringify(Buffer.concat([payload, signature]), { pad: false });
}

/** Mint a code for a payload object; `kid` defaults to the key's. */
export function mintKq1(payload: Record<string, unknown>, key: SigningKey): string {
  return mintFromBytes(Buffer.from(JSON.stringify({ v: 1, kid: key.kid, ...payload }), 'utf8'), key);
}
