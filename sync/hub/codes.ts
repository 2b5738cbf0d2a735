// The hub standing in for the portal: what a KQ1 code of each type carries (docs/code-format.md), checked
// before anything is signed, and minted with the hub's key.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { KioskError } from '../../daemon/errors.js';
import { mintKq1, type SigningKey } from '../issuing/kq1-issuer.js';

const text = z.string().min(1);
const version = z.number().int().min(0);
const common = {
  /** Serial of this printout; a random one when not given. */
  jti: text.optional(),
  /** Issued at (default: now). */
  iat: z.date().optional(),
  /** Expires at (default: never). */
  exp: z.date().optional(),
};

export const mintInput = z.discriminatedUnion('typ', [
  z.object({ typ: z.literal('APP'), receipt: z.string().regex(/^\d{1,32}$/, 'a receipt number (digits)'), office: text, proc: text, ...common }),
  z.object({ typ: z.literal('AUTH'), receiver: text, proc: text, pwv: version, ...common }),
  z.object({ typ: z.literal('REG'), receiver: text, name: text, batchUser: text, ...common }),
  z.object({ typ: z.literal('PWD'), receiver: text, name: text, pwv: version, ...common }),
]);
export type MintInput = z.input<typeof mintInput>;

/** The payload fields of docs/code-format.md for an input (without `v` and `kid`, which minting adds). */
export function codePayload(raw: MintInput, now = new Date()): Record<string, unknown> {
  const parsed = mintInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KioskError(`cannot issue a code: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`, 'USAGE');
  }
  const input = parsed.data;
  const iat = Math.floor((input.iat ?? now).getTime() / 1000);
  const base = { typ: input.typ, iat, jti: input.jti ?? randomUUID(), ...(input.exp ? { exp: Math.floor(input.exp.getTime() / 1000) } : {}) };
  switch (input.typ) {
    case 'APP':
      return { ...base, rcpt: input.receipt, off: input.office, proc: input.proc };
    case 'AUTH':
      return { ...base, rid: input.receiver, proc: input.proc, pwv: input.pwv };
    case 'REG':
      return { ...base, rid: input.receiver, name: input.name, bid: input.batchUser };
    case 'PWD':
      return { ...base, rid: input.receiver, name: input.name, pwv: input.pwv };
  }
}

export function mintCode(key: SigningKey, input: MintInput, now = new Date()): string {
  return mintKq1(codePayload(input, now), key);
}
