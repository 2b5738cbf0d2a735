// Real KQ1 texts for the camera frames, minted with the project's issuer under a key derived from
// the seed (Ed25519 signing is deterministic, so the same seed gives the same texts).
import { mintKq1, signingKeyFromSeed } from '../../sync/issuing/kq1-issuer.js';
import { Rng } from './rng.js';

const NAMES = ['株式会社デモ自動車', '有限会社サンプル整備', '熊本モータース合同会社', 'カーサービス八代', '阿蘇車検センター株式会社 南熊本営業所'];

/** `count` KQ1 codes of the four types, from short APP codes to REG codes with long names. */
export function sampleKq1Texts(count: number, seed = 1): string[] {
  const rng = new Rng(seed);
  const key = signingKeyFromSeed(`bench-key-${seed}`, Buffer.from(rng.bytes(32)).toString('base64'));
  const iat = 1_795_000_000;
  const digits = (n: number) => Array.from({ length: n }, () => rng.int(0, 10)).join('');
  return Array.from({ length: count }, (_, i) => {
    const jti = `J${digits(rng.int(4, 24))}`;
    switch (i % 4) {
      case 0:
        return mintKq1({ typ: 'APP', iat, jti, rcpt: digits(17), off: '4301', proc: 'RENEW' }, key);
      case 1:
        return mintKq1({ typ: 'AUTH', iat, jti, rid: `R${digits(8)}`, proc: 'NEW', pwv: rng.int(1, 9) }, key);
      case 2:
        return mintKq1({ typ: 'REG', iat, jti, rid: `R${digits(8)}`, name: rng.pick(NAMES), bid: `IK${digits(6)}` }, key);
      default:
        return mintKq1({ typ: 'PWD', iat, exp: iat + 86_400 * 30, jti, rid: `R${digits(8)}`, name: rng.pick(NAMES), pwv: rng.int(2, 9) }, key);
    }
  });
}
