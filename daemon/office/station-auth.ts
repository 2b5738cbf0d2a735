// Who is calling a station-to-station route: the bearer token of one of this office's stations,
// checked against the SHA-256 hashes the hub publishes in the office's feed (`station` records), so
// it works while the hub is down. Anyone else — a laptop on the LAN, a station of another office —
// is refused (401); a station that names another station than its token's is refused too (403,
// sync/raft/http-transport.ts claimsOtherStation).
import { createHash } from 'node:crypto';
import type { CacheView } from '../store/cache-view.js';

/** The station of `office` a token belongs to, or null. */
export function stationAuthenticator(view: () => CacheView, office: string): (token: string) => string | null {
  return (token) => view().stationOfToken(createHash('sha256').update(token, 'utf8').digest('hex'), office);
}
