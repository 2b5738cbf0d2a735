// Ed25519 with Node's crypto. Pure computation, no I/O.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export class Ed25519PublicKey {
  private constructor(private readonly key: KeyObject) {}

  /** From the raw 32-byte public key; null if the bytes are not a valid key. */
  static fromRaw(raw: Uint8Array): Ed25519PublicKey | null {
    if (raw.length !== 32) return null;
    try {
      const x = Buffer.from(raw).toString('base64url');
      return new Ed25519PublicKey(createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }));
    } catch {
      return null;
    }
  }

  static fromBase64(b64: string): Ed25519PublicKey | null {
    return Ed25519PublicKey.fromRaw(Buffer.from(b64, 'base64'));
  }

  verify(message: Uint8Array, signature: Uint8Array): boolean {
    if (signature.length !== 64) return false;
    try {
      return verify(null, message, this.key, signature);
    } catch {
      return false;
    }
  }
}
