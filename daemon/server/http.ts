// HTTP: the UI at `/`, /healthz, /metrics, staff sign-in, and the demo helpers. One error shape
// ({ error: { code, message } }), with the error handler registered last.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { z } from 'zod';
import type { DaemonContext } from '../context.js';
import { isKioskError, KioskError, type KioskErrorCode } from '../errors.js';
import type { HealthBoard } from '../health-board.js';

export interface HttpDeps {
  ctx: DaemonContext;
  board: HealthBoard;
  /** The built UI (dist/kiosk-ui); absent in a source checkout that was never built. */
  uiDir: string;
  healthy: () => { ok: boolean; checks: Record<string, string>; upstream?: unknown };
  demo: { codes(): Promise<{ label: string; text: string; png: string }[]>; printed(): unknown[] } | null;
}

const STATUS_BY_CODE: Partial<Record<KioskErrorCode, number>> = { BAD_REQUEST: 400, USAGE: 400, UNAUTHORIZED: 401, NOT_FOUND: 404, CONFLICT: 409, LOCKED_OUT: 429 };

const signInBody = z.object({ staffId: z.string().min(1).max(64), pin: z.string().min(1).max(64) });

export function createHttpApp({ ctx, board, uiDir, healthy, demo }: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));

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

  app.post('/api/staff/session', async (req, res, next) => {
    try {
      const body = signInBody.safeParse(req.body);
      if (!body.success) throw new KioskError('staffId and pin are required', 'BAD_REQUEST');
      const session = await ctx.staff.signIn(body.data.staffId, body.data.pin, ctx.now());
      ctx.audit.append({ type: 'staff-sign-in', deviceId: ctx.config.deviceId, staffId: session.staff.id, data: { expiresAt: session.expiresAt } });
      res.json(session);
    } catch (e) {
      if (isKioskError(e, 'LOCKED_OUT')) res.setHeader('Retry-After', String(e.context['retryAfterSeconds'] ?? 900));
      if (isKioskError(e, 'UNAUTHORIZED') || isKioskError(e, 'LOCKED_OUT')) {
        const staffId = typeof req.body?.staffId === 'string' ? req.body.staffId.slice(0, 64) : null;
        ctx.audit.append({ type: 'staff-sign-in', deviceId: ctx.config.deviceId, data: { staffId, refused: e.code } });
      }
      next(e);
    }
  });

  app.delete('/api/staff/session', (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (token) {
      const staff = ctx.staff.session(token, ctx.now());
      ctx.staff.signOut(token);
      if (staff) ctx.audit.append({ type: 'staff-sign-out', deviceId: ctx.config.deviceId, staffId: staff.id, data: {} });
      ctx.bus.emit('sessionEnded', token);
    }
    res.status(204).end();
  });

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

  if (existsSync(join(uiDir, 'index.html'))) {
    app.use(express.static(uiDir, { index: 'index.html', maxAge: '1h' }));
    // The UI routes itself: /, /counter, /display.
    app.get(/^\/(counter|display)?\/?$/, (_req, res) => res.sendFile(join(uiDir, 'index.html')));
  } else {
    app.get('/', (_req, res) => void res.type('text/plain').send('The UI is not built: run `npm run build`.\n'));
  }

  app.use((_req, _res, next) => next(new KioskError('not found', 'NOT_FOUND')));
  const errors: ErrorRequestHandler = (err, _req, res, _next) => {
    if (isKioskError(err)) {
      res.status(STATUS_BY_CODE[err.code] ?? 500).json({ error: { code: err.code, message: err.message } });
      return;
    }
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) ctx.logger.error({ err }, 'HTTP request failed');
    res.status(status).json({ error: { code: status === 500 ? 'INTERNAL' : 'BAD_REQUEST', message: status === 500 ? 'internal error' : String(err.message ?? err) } });
  };
  app.use(errors);
  return app;
}
