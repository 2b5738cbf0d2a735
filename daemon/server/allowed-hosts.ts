// DNS rebinding defence: a page on any name that resolves to the kiosk must not reach it. HTTP
// routes and Socket.IO handshakes accept only the names of KIOSK_ALLOWED_HOSTS, in Host and in
// Origin when one is sent (scripts send none). Comparing Origin with Host alone is not enough: a
// rebound page sends its own name in both.
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { normaliseHostName } from '../config.js';
import { KioskError } from '../errors.js';

/** The host name of a Host header value (`name`, `name:port`, `[v6]:port`), or null when malformed. */
function hostNameOf(host: string): string | null {
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d{1,5})?$/.exec(host);
  return m ? normaliseHostName(m[1]!) : null;
}

/** The host name of an Origin header value, or null for `null`, other schemes and garbage. */
function originNameOf(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? normaliseHostName(url.hostname) : null;
  } catch {
    return null;
  }
}

/** Why a request must be refused, or null when its Host (and Origin, if any) are allowed. */
export function hostRefusal(req: Pick<IncomingMessage, 'headers'>, allowed: ReadonlySet<string>): KioskError | null {
  const host = req.headers.host ?? '';
  const hostName = hostNameOf(host);
  if (hostName === null || !allowed.has(hostName)) {
    return new KioskError(`this kiosk does not answer to the host name ${JSON.stringify(host.slice(0, 100))}; see KIOSK_ALLOWED_HOSTS`, 'HOST_NOT_ALLOWED');
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const originName = originNameOf(origin);
    if (originName === null || !allowed.has(originName)) {
      return new KioskError(`pages from ${JSON.stringify(origin.slice(0, 100))} may not use this kiosk`, 'ORIGIN_NOT_ALLOWED');
    }
  }
  return null;
}

/** Express middleware: refuse before any route runs (421 or 403 through the error handler). */
export function allowedHostsOnly(allowedHosts: readonly string[]): RequestHandler {
  const allowed = new Set(allowedHosts);
  return (req, _res, next) => next(hostRefusal(req, allowed) ?? undefined);
}

/**
 * Socket.IO's allowRequest: the same rule for the handshake. engine.io answers a refusal itself:
 * 403 with its own JSON for polling, 400 for a WebSocket upgrade; its upgrade answer is text/html,
 * so the message is fixed rather than echo the request's headers.
 */
export function allowedHostsHandshake(allowedHosts: readonly string[]): (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => void {
  const allowed = new Set(allowedHosts);
  return (req, callback) => {
    const refusal = hostRefusal(req, allowed);
    callback(refusal ? `${refusal.code}: see KIOSK_ALLOWED_HOSTS` : null, refusal === null);
  };
}
