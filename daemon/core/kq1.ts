// KQ1 text → signed bytes and a typed payload (docs/code-format.md). Pure: no I/O, never throws.
import { z } from 'zod';
import { normalizeScanText } from '../../protocol/scan-text.js';
import { base32ByteLength, decodeBase32Into } from './base32.js';
import type { CodeType } from '../../protocol/verdict.js';

export { normalizeScanText };

export const MAX_SCAN_LENGTH = 4096;
const SIGNATURE_BYTES = 64;
const PREFIX = 'KQ1';
const PREFIX_BYTES = new TextEncoder().encode(PREFIX);
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface SignedCode {
  /** `KQ1` followed by the payload bytes: exactly what the signature covers. */
  signedBytes: Uint8Array;
  signature: Uint8Array;
  payload: Record<string, unknown>;
}

export type Decoded = { ok: true; code: SignedCode } | { ok: false; detail: string };

/** Step 1 of the decision table: text → bytes → JSON object. */
export function decodeKq1(raw: string): Decoded {
  const text = normalizeScanText(raw);
  if (text.length > MAX_SCAN_LENGTH) return { ok: false, detail: `longer than ${MAX_SCAN_LENGTH} characters` };
  if (text.slice(0, PREFIX.length).toUpperCase() !== PREFIX) return { ok: false, detail: 'not a KQ1 code' };
  if (text.length === PREFIX.length) return { ok: false, detail: 'not base32' };
  // One buffer holds `KQ1` and then the decoded bytes: its front is the signed bytes, its tail the signature.
  const decodedLength = base32ByteLength(text.length - PREFIX.length);
  const bytes = Buffer.allocUnsafe(PREFIX_BYTES.length + decodedLength);
  bytes.set(PREFIX_BYTES, 0);
  const failure = decodeBase32Into(text, PREFIX.length, bytes, PREFIX_BYTES.length);
  if (failure) return { ok: false, detail: failure === 'alphabet' ? 'not base32' : 'bad base32 length' };
  if (decodedLength <= SIGNATURE_BYTES) return { ok: false, detail: 'too short to carry a signature' };
  const signedLength = bytes.length - SIGNATURE_BYTES;
  let payload: unknown;
  try {
    payload = JSON.parse(utf8.decode(bytes.subarray(PREFIX_BYTES.length, signedLength)));
  } catch {
    return { ok: false, detail: 'payload is not UTF-8 JSON' };
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { ok: false, detail: 'payload is not a JSON object' };
  }
  return {
    ok: true,
    code: { signedBytes: bytes.subarray(0, signedLength), signature: bytes.subarray(signedLength), payload: payload as Record<string, unknown> },
  };
}

const int = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const common = { v: z.literal(1), kid: z.string(), iat: int, exp: int.optional(), jti: z.string() };

const payloadSchema = z.discriminatedUnion('typ', [
  z.object({ ...common, typ: z.literal('APP'), rcpt: z.string(), off: z.string(), proc: z.string() }),
  z.object({ ...common, typ: z.literal('AUTH'), rid: z.string(), proc: z.string(), pwv: int }),
  z.object({ ...common, typ: z.literal('REG'), rid: z.string(), name: z.string(), bid: z.string() }),
  z.object({ ...common, typ: z.literal('PWD'), rid: z.string(), name: z.string(), pwv: int }),
]);

export type Payload = z.infer<typeof payloadSchema>;
export type AppPayload = Extract<Payload, { typ: 'APP' }>;
export type AuthPayload = Extract<Payload, { typ: 'AUTH' }>;
export type RegPayload = Extract<Payload, { typ: 'REG' }>;
export type PwdPayload = Extract<Payload, { typ: 'PWD' }>;

export type Parsed =
  | { ok: true; payload: Payload }
  | { ok: false; reason: 'UNSUPPORTED_VERSION' | 'MALFORMED'; detail: string; codeType: CodeType | null };

/** Step 2: version first (a later format may carry other fields), then the fields of the type. */
export function parsePayload(raw: Record<string, unknown>): Parsed {
  const codeType = knownCodeType(raw['typ']);
  const v = raw['v'];
  if (Number.isInteger(v) && v !== 1) return { ok: false, reason: 'UNSUPPORTED_VERSION', detail: `v=${String(v)}`, codeType };
  const result = payloadSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, reason: 'MALFORMED', detail: `field ${issue?.path.join('.') || '?'}: ${issue?.message ?? 'invalid'}`, codeType };
  }
  return { ok: true, payload: result.data };
}

function knownCodeType(typ: unknown): CodeType | null {
  return typ === 'APP' || typ === 'AUTH' || typ === 'REG' || typ === 'PWD' ? typ : null;
}

/** The payload of a code that decodes and parses, without checking its signature: for facts kept beside a verdict already reached. */
export function payloadOf(text: string): Payload | null {
  const decoded = decodeKq1(text);
  if (!decoded.ok) return null;
  const parsed = parsePayload(decoded.code.payload);
  return parsed.ok ? parsed.payload : null;
}
