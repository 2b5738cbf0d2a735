// The project's KQ1 suite as file contents: tests/fixtures/kq1/{feed.ndjson,cases.json,signing-keys.json}.
// Deterministic: the same bytes on every run (fixed seeds, Ed25519's deterministic signatures).
import { suiteCases } from './cases.js';
import { feedRecords } from './feed.js';
import { fixtureSigningKeys, signingKeysFile } from './keys.js';

export type { SuiteCase, Expect } from './cases.js';
export { APPS, AS_OF, NOW, OFFICES, RECEIVERS } from './feed.js';
export { KEY_ROLES } from './keys.js';

export function buildKq1Fixtures(): Record<'feed.ndjson' | 'cases.json' | 'signing-keys.json', string> {
  const keys = fixtureSigningKeys();
  return {
    'feed.ndjson': feedRecords(keys).map((r) => JSON.stringify(r)).join('\n') + '\n',
    // One case a line: a changed case is a one-line diff.
    'cases.json': '[\n' + suiteCases(keys).map((c) => ' ' + JSON.stringify(c)).join(',\n') + '\n]\n',
    'signing-keys.json': JSON.stringify(signingKeysFile(), null, 2) + '\n',
  };
}
