import { describe, expect, it } from 'vitest';
import { generateSigningKey, mintFromBytes, mintKq1 } from '../../sync/issuing/kq1-issuer.js';
import { decodeKq1, MAX_SCAN_LENGTH, normalizeScanText, parsePayload } from './kq1.js';
import { Ed25519PublicKey } from './signature.js';

const key = generateSigningKey('k1');
const code = mintKq1({ typ: 'APP', iat: 1, jti: 'j', rcpt: '1', off: '4301', proc: 'RENEW' }, key);

describe('normalizeScanText', () => {
  it.each([
    [`  ${code}\r\n`, code],
    [`]Q1${code}`, code],
    [`]Q3${code}\r`, code],
    [`\t]Q1 ${code} `, code],
  ])('%j', (raw, want) => expect(normalizeScanText(raw)).toBe(want));
});

describe('decodeKq1', () => {
  it('decodes a minted code and its signature verifies over KQ1 + payload bytes', () => {
    const d = decodeKq1(code);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.code.payload).toMatchObject({ v: 1, typ: 'APP', kid: 'k1', rcpt: '1' });
    expect(Buffer.from(d.code.signedBytes.subarray(0, 3)).toString()).toBe('KQ1');
    expect(Ed25519PublicKey.fromBase64(key.publicKeyBase64)!.verify(d.code.signedBytes, d.code.signature)).toBe(true);
  });

  it('verifies the exact payload bytes, not a re-serialisation', () => {
    const oddSpacing = Buffer.from('{ "v":1,  "typ":"APP","kid":"k1","iat":1,"jti":"j","rcpt":"1","off":"4301","proc":"RENEW" }');
    const d = decodeKq1(mintFromBytes(oddSpacing, key));
    expect(d.ok && Ed25519PublicKey.fromBase64(key.publicKeyBase64)!.verify(d.code.signedBytes, d.code.signature)).toBe(true);
  });

  it('accepts any letter case', () => {
    expect(decodeKq1(code.toLowerCase()).ok).toBe(true);
    expect(decodeKq1('kQ1' + code.slice(3)).ok).toBe(true);
  });

  it.each([
    ['', 'not a KQ1 code'],
    ['HELLO', 'not a KQ1 code'],
    ['KQ1', 'not base32'],
    ['KQ1ABC1', 'not base32'],
    ['KQ1' + 'A'.repeat(120), 'payload is not UTF-8 JSON'],
    ['KQ1MFRGG', 'too short to carry a signature'],
    ['KQ1' + 'A'.repeat(MAX_SCAN_LENGTH), `longer than ${MAX_SCAN_LENGTH} characters`],
  ])('rejects %j', (text, detail) => {
    expect(decodeKq1(text)).toEqual({ ok: false, detail });
  });

  it('rejects a payload that is JSON but not an object', () => {
    expect(decodeKq1(mintFromBytes(Buffer.from('[1,2]'), key))).toEqual({ ok: false, detail: 'payload is not a JSON object' });
    expect(decodeKq1(mintFromBytes(Buffer.from('null'), key))).toEqual({ ok: false, detail: 'payload is not a JSON object' });
  });
});

describe('parsePayload', () => {
  const base = { v: 1, kid: 'k', iat: 1, jti: 'j' };
  it.each([
    [{ ...base, v: 2 }, 'UNSUPPORTED_VERSION'],
    [{ ...base, v: 0, typ: 'APP' }, 'UNSUPPORTED_VERSION'],
    [{ kid: 'k', iat: 1, jti: 'j', typ: 'APP', rcpt: '1', off: '1', proc: 'P' }, 'MALFORMED'],
    [{ ...base, v: 1.5, typ: 'APP', rcpt: '1', off: '1', proc: 'P' }, 'MALFORMED'],
    [{ ...base, typ: 'XYZ' }, 'MALFORMED'],
    [{ ...base, typ: 'APP', rcpt: 1, off: '1', proc: 'P' }, 'MALFORMED'],
    [{ ...base, typ: 'AUTH', rid: 'r', proc: 'P' }, 'MALFORMED'],
    [{ ...base, typ: 'APP', rcpt: '1', off: '1', proc: 'P', exp: '2027' }, 'MALFORMED'],
    [{ ...base, iat: 1.5, typ: 'REG', rid: 'r', name: 'n', bid: 'b' }, 'MALFORMED'],
  ])('%j → %s', (payload, reason) => {
    const r = parsePayload(payload);
    expect(r.ok ? null : r.reason).toBe(reason);
  });

  it('ignores unknown extra fields', () => {
    expect(parsePayload({ ...base, typ: 'PWD', rid: 'r', name: 'n', pwv: 2, future: { x: 1 } }).ok).toBe(true);
  });
});
