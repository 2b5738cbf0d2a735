// HTTP: the UI at `/`, /healthz, /metrics, staff sign-in, and the demo helpers. Every answer carries
// the security headers; only allowed host names are served; one error shape
// ({ error: { code, message } }) with fixed messages, from the error handler registered last.
import { createServer, STATUS_CODES, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { DaemonContext } from '../context.js';
import { isKioskError, KioskError, type KioskErrorCode } from '../errors.js';
import type { HealthBoard } from '../health-board.js';
import { allowedHostsOnly } from './allowed-hosts.js';
import { securityHeaders } from './security-headers.js';
import { staffRoutes } from './staff-routes.js';

export interface HttpDeps {
  ctx: DaemonContext;
  board: HealthBoard;
  /** The built UI (dist/kiosk-ui); absent in a source checkout that was never built. */
  uiDir: string;
  healthy: () => { ok: boolean; checks: Record<string, string>; upstream?: unknown };
  demo: { codes(): Promise<{ label: string; text: string; png: string }[]>; printed(): unknown[] } | null;
  /** The station-to-station routes (daemon/office/), when this station shares an office queue. */
  office?: Router | null;
}

/**
 * A slow or silent peer is dropped in seconds, not held for minutes (Node's defaults: 60 s for
 * headers, 300 s for a request, checked every 30 s). Bodies here are at most 16 KiB of JSON.
 */
export const HTTP_TIMEOUTS = { headersTimeout: 5_000, requestTimeout: 10_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 } as const;

const BODY_LIMIT = '16kb';

const STATUS_BY_CODE: Partial<Record<KioskErrorCode, number>> = {
  BAD_REQUEST: 400,
  USAGE: 400,
  UNAUTHORIZED: 401,
  ORIGIN_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  HOST_NOT_ALLOWED: 421,
  LOCKED_OUT: 429,
  BUSY: 503,
};

/** body-parser's error types → a fixed answer; its own messages name parser internals. */
const BODY_ERRORS: Record<string, [number, string]> = {
  'entity.parse.failed': [400, 'the request body is not valid JSON'],
  'entity.too.large': [413, 'the request body is larger than 16 KiB'],
  'encoding.unsupported': [415, 'the request body has an unsupported encoding or charset'],
  'charset.unsupported': [415, 'the request body has an unsupported encoding or charset'],
  'request.aborted': [400, 'the request body was not sent completely'],
  'request.size.invalid': [400, 'the request body does not match its Content-Length'],
};

/** The HTTP server for `app`, with the timeouts above. */
export function createHttpServer(app: Express): Server {
  return createServer({ ...HTTP_TIMEOUTS }, app);
}

export function createHttpApp({ ctx, board, uiDir, healthy, demo, office = null }: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  // Station to station: a bearer token of the office's stations, whatever Host the LAN uses; the
  // office log's messages are larger than the screens' bodies.
  if (office) app.use('/office/v1', office);
  app.use(allowedHostsOnly(ctx.config.allowedHosts));
  app.use(express.json({ limit: BODY_LIMIT }));

  app.get('/healthz', (_req, res) => {
    const h = healthy();
    res.status(h.ok ? 200 : 503).json(h);
  });

  app.get('/metrics', async (_req, res, next) => {
    try {
      res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
    } catch (e) {
      next(e);
    }
  });

  app.get('/api/state', (_req, res) => void res.json(board.kioskState()));
  app.use(staffRoutes(ctx));

  if (demo) {
    app.get('/api/demo/codes', async (_req, res, next) => {
      try {
        res.json(await demo.codes());
      } catch (e) {
        next(e);
      }
    });
    app.get('/api/demo/printed', (_req, res) => void res.json(demo.printed()));
  }

  app.use('/api', (_req, _res, next) => next(new KioskError('no such API route', 'NOT_FOUND')));
  serveUi(app, uiDir);
  app.use((_req, _res, next) => next(new KioskError('not found', 'NOT_FOUND')));
  app.use(errorHandler(ctx));
  return app;
}

/**
 * The built UI. Vite names assets by content hash, so they never change: cached for a year. The
 * page that names them is revalidated on every load, so after an upgrade no kiosk asks for assets
 * that are gone.
 */
function serveUi(app: Express, uiDir: string): void {
  const index = join(uiDir, 'index.html');
  if (!existsSync(index)) {
    app.get('/', (_req, res) => void res.type('text/plain').send('The UI is not built: run `npm run build`.\n'));
    return;
  }
  app.use('/assets', express.static(join(uiDir, 'assets'), { index: false, immutable: true, maxAge: '365d' }));
  // The UI routes itself: /, /counter, /display.
  app.get(/^\/(counter|display|index\.html)?\/?$/, (_req, res, next) => res.sendFile(index, { headers: { 'Cache-Control': 'no-cache' } }, (e) => e && next(e)));
  app.use(express.static(uiDir, { index: false, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));
}

function errorHandler(ctx: DaemonContext): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (isKioskError(err)) {
      res.status(STATUS_BY_CODE[err.code] ?? 500).json({ error: { code: err.code, message: err.message } });
      return;
    }
    const known = typeof err?.type === 'string' ? BODY_ERRORS[err.type] : undefined;
    const status = known?.[0] ?? (typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500);
    if (status === 500) ctx.logger.error({ err }, 'HTTP request failed');
    const message = known?.[1] ?? (status === 500 ? 'internal error' : (STATUS_CODES[status] ?? 'bad request').toLowerCase());
    res.status(status).json({ error: { code: status === 500 ? 'INTERNAL' : 'BAD_REQUEST', message } });
  };
}
