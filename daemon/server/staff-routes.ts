// Staff sign-in and sign-out over HTTP (contract "Staff"). Sign-in is throttled per source address
// (daemon/staff/README.md); refusals are audited through a bounded log, so a flood cannot grow the file.
import { Router } from 'express';
import { z } from 'zod';
import type { DaemonContext } from '../context.js';
import { isKioskError, KioskError } from '../errors.js';
import { SignInRefusalLog } from '../staff/refusal-log.js';
import { sourceOf } from '../staff/sign-in-throttle.js';

const signInBody = z.object({ staffId: z.string().min(1).max(64), pin: z.string().min(1).max(64) });

export function staffRoutes(ctx: DaemonContext): Router {
  const router = Router();
  const deviceId = ctx.config.deviceId;
  const refusals = new SignInRefusalLog((data, at) => ctx.audit.append({ type: 'staff-sign-in', deviceId, data, at }));

  router.post('/api/staff/session', async (req, res, next) => {
    // No proxy sits in front of the kiosk: the peer address is the source, X-Forwarded-For is ignored.
    const source = sourceOf(req.socket.remoteAddress);
    try {
      const body = signInBody.safeParse(req.body);
      if (!body.success) throw new KioskError('staffId and pin are required', 'BAD_REQUEST');
      const session = await ctx.staff.signIn(body.data.staffId, body.data.pin, ctx.now(), source);
      ctx.audit.append({ type: 'staff-sign-in', deviceId, staffId: session.staff.id, data: { expiresAt: session.expiresAt, source } });
      res.json(session);
    } catch (e) {
      if (isKioskError(e, 'LOCKED_OUT') || isKioskError(e, 'BUSY')) res.setHeader('Retry-After', String(e.context['retryAfterSeconds'] ?? 900));
      if (isKioskError(e, 'UNAUTHORIZED') || isKioskError(e, 'LOCKED_OUT')) {
        const staffId = typeof req.body?.staffId === 'string' ? req.body.staffId.slice(0, 64) : null;
        if (isKioskError(e, 'LOCKED_OUT') && e.context['pinChecked'] === true) ctx.logger.warn({ source, scope: e.context['scope'] }, 'staff sign-in locked after failed attempts');
        refusals.record({ staffId, source, refused: e.code, pinChecked: e.context['pinChecked'] === true }, ctx.now());
      }
      next(e);
    }
  });

  router.delete('/api/staff/session', (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (token) {
      const staff = ctx.staff.session(token, ctx.now());
      ctx.staff.signOut(token);
      if (staff) ctx.audit.append({ type: 'staff-sign-out', deviceId, staffId: staff.id, data: {} });
      ctx.bus.emit('sessionEnded', token);
    }
    res.status(204).end();
  });
  return router;
}
