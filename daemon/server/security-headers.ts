// Security headers on every answer (the top README says why not helmet).
// The UI is one same-origin bundle: scripts, styles and sockets from this daemon only, no inline
// script, never framed. Lit's styles are constructed style sheets, which style-src does not block.
import type { RequestHandler } from 'express';

const FIXED_DIRECTIVES = [
  "default-src 'self'",
  // The camera path decodes QR codes in WebAssembly ('wasm-unsafe-eval') in a module worker served from here.
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  // data: for the demo QR codes, sent as PNG data URLs.
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/** A Host header that can go into the policy as is (no spaces, commas or semicolons). */
const PLAIN_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * CSP Level 3 lets 'self' match ws: to the same host and port; browsers before it do not, so the
 * Socket.IO WebSocket's own origin is named too.
 */
function policyFor(host: string | undefined): string {
  const connect = host && PLAIN_HOST.test(host) ? `connect-src 'self' ws://${host}` : "connect-src 'self'";
  return [...FIXED_DIRECTIVES, connect].join('; ');
}

export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('Content-Security-Policy', policyFor(req.headers.host));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};
