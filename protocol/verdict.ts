// Wire types shared by the daemon and the UI. Browser-safe: no imports from node:*, daemon/ or drivers/.

export const CODE_TYPES = ['APP', 'REG', 'AUTH', 'PWD'] as const;
export type CodeType = (typeof CODE_TYPES)[number];

export type Outcome = 'accepted' | 'rejected' | 'refer';
export type DeviceMode = 'kiosk' | 'counter';

/** Every reason `verify` can give, spelled as in docs/decision-table.md. */
export const REASONS = [
  'MALFORMED',
  'UNSUPPORTED_VERSION',
  'UNKNOWN_KEY',
  'BAD_SIGNATURE',
  'KEY_NOT_VALID',
  'CODE_EXPIRED',
  'CODE_NOT_YET_VALID',
  'CACHE_STALE',
  'UNKNOWN_APPLICATION',
  'WRONG_OFFICE',
  'ALREADY_COLLECTED',
  'APPLICATION_CLOSED',
  'NOT_READY',
  'FEES_UNPAID',
  'UNKNOWN_RECEIVER',
  'RECEIVER_NOT_ACTIVE',
  'PASSWORD_CHANGED',
  'CACHE_BEHIND',
  'INDIVIDUAL_CODE_REQUIRED',
  'NOTHING_TO_COLLECT',
  'COUNTER_ONLY',
  'ALREADY_REGISTERED',
  'PASSWORD_CHANGE_ALREADY_APPLIED',
] as const;
export type Reason = (typeof REASONS)[number];

export type Deliverable = 'certificate' | 'record_printout' | 'sticker';

export interface LocalizedText {
  ja: string;
  en: string;
}

export interface VerdictApplication {
  receiptNumber: string;
  procedureType: string;
  deliverables: Deliverable[];
  vehicle: { registration?: string; chassisLast4?: string };
  /** Certificate validity runs from this day (Art. 14); the handover screen shows it. */
  reviewCompletedAt: string | null;
}

export interface Verdict {
  outcome: Outcome;
  reason: Reason | null;
  codeType: CodeType | null;
  jti: string | null;
  receiver: { id: string; name: string } | null;
  applications: VerdictApplication[];
  excluded: { receiptNumber: string; reason: 'INDIVIDUAL_CODE_REQUIRED' }[];
  basis: { asOf: string | null; ageSeconds: number | null };
  message: LocalizedText;
  /** Extra facts a screen may show, such as the office a WRONG_OFFICE code belongs to. */
  detail?: { office?: { code: string; name: LocalizedText | null } };
}
