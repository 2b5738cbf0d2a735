// The cached master data the decision table reads, and the read-only view the store provides.
import type { Deliverable, LocalizedText } from '../../protocol/verdict.js';
import type { Ed25519PublicKey } from './signature.js';

export type ReceiverStatus = 'pending' | 'active' | 'suspended' | 'deleted';
export type ApplicationStatus = 'reviewing' | 'correction_requested' | 'ready' | 'collected' | 'rejected' | 'withdrawn';

export interface TrustedKey {
  kid: string;
  alg: string;
  publicKey: Ed25519PublicKey | null; // null when the key material is unusable
  /** Unix seconds; null = unbounded. */
  notBefore: number | null;
  notAfter: number | null;
  revokedAt: number | null;
}

export interface Receiver {
  id: string;
  name: string;
  batchUserId: string | null;
  status: ReceiverStatus;
  passwordVersion: number;
}

export interface Application {
  receiptNumber: string;
  office: string;
  procedureType: string;
  channel: 'screen' | 'batch';
  receiverId: string | null;
  status: ApplicationStatus;
  feesPaid: boolean;
  individualCodeIssued: boolean;
  deliverables: Deliverable[];
  vehicle: { registration?: string; chassisLast4?: string };
  reviewCompletedAt: string | null;
}

/** What `verify` may read. Implemented by the SQLite cache; tests may use an in-memory one. */
export interface VerificationData {
  /** When the cached data was true at the source; null when nothing was ever loaded. */
  asOf(): Date | null;
  key(kid: string): TrustedKey | undefined;
  application(receiptNumber: string): Application | undefined;
  receiver(id: string): Receiver | undefined;
  /** Batch applications naming this receiver, of this procedure type, at this office (any status). */
  batchApplicationsFor(receiverId: string, procedureType: string, office: string): Application[];
  officeName(code: string): LocalizedText | null;
}
