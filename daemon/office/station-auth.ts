// Who is calling a station-to-station route: the bearer token of one of this office's stations,
// checked against the SHA-256 hashes the hub publishes in the office's feed (`station` records), so
// it works while the hub is down. Anyone else — a laptop on the LAN, a station of another office —
// is refused (401); a station that names another station than its token's is refused too (403).
import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { CacheView } from '../store/cache-view.js';

export function bearerOf(req: Request): string | null {
  return /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1] ?? null;
}

/** The station of `office` a token belongs to, or null. */
export function stationAuthenticator(view: () => CacheView, office: string): (token: string) => string | null {
  return (token) => view().stationOfToken(createHash('sha256').update(token, 'utf8').digest('hex'), office);
}

/** Refuse with 401 unless the request carries a station token of this office; the station's id goes in res.locals.station. */
export function stationsOnly(authenticate: (token: string) => string | null): RequestHandler {
  return (req, res, next) => {
    const token = bearerOf(req);
    const station = token ? authenticate(token) : null;
    if (station === null) return void res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'not a station of this office' } });
    res.locals['station'] = station;
    next();
  };
}

/** 403 when a request names another station than the one its token belongs to. */
export function claimsOtherStation(res: { locals: Record<string, unknown>; status(n: number): { json(b: unknown): void } }, claimed: string): boolean {
  if (res.locals['station'] === claimed) return false;
  res.status(403).json({ error: { code: 'FORBIDDEN', message: `this token belongs to ${String(res.locals['station'])}` } });
  return true;
}
