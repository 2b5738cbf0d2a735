// What both engines share beyond the pure planning: change listeners, the hub's identity (feed id
// and signing key, created with its storage), minting, and argument checks.
import { randomBytes } from 'node:crypto';
import type { ChangeRecord } from '../../protocol/feed-records.js';
import { KioskError } from '../../daemon/errors.js';
import { generateSigningKey, signingKeyFromSeed, type SigningKey } from '../issuing/kq1-issuer.js';
import { mintCode, type MintInput } from './codes.js';
import { DEVICE_ID, OFFICE_CODE } from './tokens.js';
import type { FeedWake } from './types.js';

export interface HubIdentity {
  feedId: string;
  kid: string;
  seedBase64: string;
  createdAt: string;
}

/** A new hub's feed id and signing key. */
export function newIdentity(now = new Date()): HubIdentity {
  const kid = `hub-${randomBytes(4).toString('hex')}`;
  const key = generateSigningKey(kid);
  return { feedId: randomBytes(16).toString('base64url'), kid, seedBase64: key.seedBase64, createdAt: now.toISOString() };
}

/** The `key` record that publishes the hub's public key, valid from the hub's creation. */
export function keyRecord(identity: HubIdentity): ChangeRecord {
  const key = signingKeyFromSeed(identity.kid, identity.seedBase64);
  return { seq: 0, entity: 'key', id: identity.kid, op: 'upsert', data: { alg: 'Ed25519', publicKey: key.publicKeyBase64, notBefore: identity.createdAt, notAfter: null, revokedAt: null } };
}

export function checkDeviceId(deviceId: string): void {
  if (!DEVICE_ID.test(deviceId)) throw new KioskError(`device id: letters, digits, . _ - (at most 64), not ${JSON.stringify(deviceId)}`, 'USAGE');
}

export function checkOffice(office: string | null): void {
  if (office !== null && !OFFICE_CODE.test(office)) throw new KioskError(`office: 1–16 letters, digits or -, not ${JSON.stringify(office)}`, 'USAGE');
}

/** A device's last_seen_at is noted at most this often… */
const TOUCH_INTERVAL_MS = 15_000;
/** …and written in one statement with others this long after. */
const TOUCH_FLUSH_MS = 2000;

export abstract class HubStoreBase {
  private readonly listeners = new Set<(wake: FeedWake) => void>();
  private key: SigningKey | null = null;
  private readonly seen = new Map<string, number>();
  private readonly unwritten = new Set<string>();
  private touchTimer: NodeJS.Timeout | null = null;

  protected abstract loadSigningKey(): Promise<{ kid: string; seedBase64: string }>;
  /** Write last_seen_at for these devices; best effort (nothing depends on it). */
  protected abstract writeLastSeen(deviceIds: readonly string[], at: string): Promise<void>;
  /** The first listener arrived (start watching other processes) or the last left (stop). */
  protected abstract watchOthers(on: boolean): void;

  subscribe(listener: (wake: FeedWake) => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.watchOthers(true);
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.watchOthers(false);
    };
  }

  protected emit(wake: FeedWake | null): void {
    if (!wake) return;
    for (const listener of [...this.listeners]) listener(wake);
  }

  protected stopListening(): void {
    if (this.listeners.size > 0) this.watchOthers(false);
    this.listeners.clear();
  }

  /**
   * Note that a device was seen. A poll every second would otherwise cost a committed write every
   * second per device: instead each device is noted at most every 15 s, and the notes are written
   * together every 2 s.
   */
  async touch(deviceId: string): Promise<void> {
    const now = Date.now();
    if (now - (this.seen.get(deviceId) ?? 0) < TOUCH_INTERVAL_MS) return;
    this.seen.set(deviceId, now);
    this.unwritten.add(deviceId);
    this.touchTimer ??= setTimeout(() => void this.flushTouches(), TOUCH_FLUSH_MS);
    this.touchTimer.unref();
  }

  /** The device was seen and its row written just now (an events batch). */
  protected seenNow(deviceId: string, at: number): void {
    this.seen.set(deviceId, at);
    this.unwritten.delete(deviceId);
  }

  protected forgetSeen(deviceId: string): void {
    this.seen.delete(deviceId);
    this.unwritten.delete(deviceId);
  }

  protected async flushTouches(): Promise<void> {
    if (this.touchTimer) clearTimeout(this.touchTimer);
    this.touchTimer = null;
    const ids = [...this.unwritten];
    this.unwritten.clear();
    if (ids.length > 0) await this.writeLastSeen(ids, new Date().toISOString()).catch(() => undefined);
  }

  async signingKey(): Promise<SigningKey> {
    if (!this.key) {
      const { kid, seedBase64 } = await this.loadSigningKey();
      this.key = signingKeyFromSeed(kid, seedBase64);
    }
    return this.key;
  }

  async mint(input: MintInput): Promise<string> {
    return mintCode(await this.signingKey(), input);
  }
}
