// The hub's HTTP routes (docs/sync.md): the change feed, the events endpoint and the audit head,
// every one behind a device token. Every answer, errors too, carries `hubTime`.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { KioskError, isKioskError } from '../../daemon/errors.js';
import { changesQuery, eventsRequest, MAX_PAGE_LIMIT, MAX_WAIT_SECONDS, SYNC_CHANGES_PATH, SYNC_EVENTS_PATH, SYNC_AUDIT_HEAD_PATH } from '../../protocol/sync.js';
import type { FailedAuthThrottle } from './auth-throttle.js';
import type { EventGroups } from './group-commit.js';
import type { FeedWaiters } from './long-poll.js';
import type { SharedPageReads } from './shared-reads.js';
import type { DeviceAuth, FeedPage, HubStore, PageQuery } from './types.js';

/** Largest events body accepted (a full batch of 500 events is far below this). */
export const MAX_BODY_BYTES = 1 << 20;

export interface HubAppContext {
  store: HubStore;
  waiters: FeedWaiters;
  pages: SharedPageReads;
  events: EventGroups;
  throttle: FailedAuthThrottle;
  logger: Logger;
  feedId: string;
  now: () => Date;
  maxBodyBytes?: number;
}

/** An error answer: KioskError carrying its HTTP status and the wire code of protocol/sync.ts. */
export function httpError(status: number, wireCode: string, message: string): KioskError {
  const code = status === 401 || status === 403 ? 'UNAUTHORIZED' : status === 404 ? 'NOT_FOUND' : status === 429 ? 'LOCKED_OUT' : 'BAD_REQUEST';
  return new KioskError(message, code, { status, wireCode });
}

const deviceOf = (res: Response) => res.locals['device'] as DeviceAuth;

export function hubApp(ctx: HubAppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // pages are large and never the same twice: hashing them is waste
  app.use(authenticate(ctx));
  app.get(SYNC_CHANGES_PATH, (req, res, next) => changes(ctx, req, res).catch(next));
  app.post(
    SYNC_EVENTS_PATH,
    // Any content type is read as JSON: a wrong header is not worth a different answer.
    express.json({ limit: ctx.maxBodyBytes ?? MAX_BODY_BYTES, strict: true, type: () => true }),
    (req, res, next) => events(ctx, req, res).catch(next),
  );
  app.get(SYNC_AUDIT_HEAD_PATH, (_req, res, next) => auditHead(ctx, res).catch(next));
  app.use(() => {
    throw httpError(404, 'NOT_FOUND', 'no such route');
  });
  app.use(errorHandler(ctx));
  return app;
}

function sendJson(ctx: HubAppContext, res: Response, status: number, body: object): void {
  res.status(status).json({ ...body, hubTime: ctx.now().toISOString() });
}

function authenticate(ctx: HubAppContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const address = req.socket.remoteAddress ?? 'unknown';
      const blockedMs = ctx.throttle.blockedFor(address);
      if (blockedMs > 0) {
        res.setHeader('Retry-After', String(Math.ceil(blockedMs / 1000)));
        throw httpError(429, 'THROTTLED', 'too many failed authentications from this address; try again later');
      }
      const match = /^Bearer ([^\s]+)$/i.exec(req.headers.authorization ?? '');
      const device = match?.[1] ? await ctx.store.authenticate(match[1]) : null;
      if (!device) {
        ctx.throttle.failed(address);
        ctx.logger.warn({ address, path: req.path, hadToken: Boolean(match) }, 'hub: authentication failed');
        res.setHeader('WWW-Authenticate', 'Bearer');
        throw httpError(401, 'TOKEN_INVALID', match ? 'unknown or revoked device token' : 'a device token is required (Authorization: Bearer …)');
      }
      res.locals['device'] = device;
      ctx.store.touch(device.deviceId).catch((e: unknown) => ctx.logger.warn({ err: e }, 'hub: could not note a device as seen'));
      next();
    } catch (e) {
      next(e);
    }
  };
}

function checkOffice(device: DeviceAuth, office: string | undefined): void {
  if (device.office !== null && office !== device.office) {
    throw httpError(403, 'OFFICE_FORBIDDEN', `this device's token is for office ${device.office} only${office ? `, not ${office}` : ''}`);
  }
}

async function changes(ctx: HubAppContext, req: Request, res: Response): Promise<void> {
  const parsed = changesQuery.safeParse(req.query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw httpError(400, 'BAD_REQUEST', `query ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const device = deviceOf(res);
  checkOffice(device, parsed.data.office);
  const query: PageQuery = { since: parsed.data.since, limit: Math.min(parsed.data.limit, MAX_PAGE_LIMIT), office: parsed.data.office };
  const deadline = Date.now() + Math.min(parsed.data.wait, MAX_WAIT_SECONDS) * 1000;
  const gone = new AbortController();
  res.once('close', () => gone.abort()); // the kiosk hung up: stop waiting for it
  let page: FeedPage;
  for (;;) {
    const waiter = deadline > Date.now() ? ctx.waiters.register(device.deviceId, query.office) : null;
    try {
      page = await ctx.pages.read(query);
      if (page.count > 0 || !waiter) break;
      await waiter.wait(deadline - Date.now(), gone.signal);
    } finally {
      waiter?.release();
    }
    if (gone.signal.aborted) return;
  }
  res.status(200).type('application/json').send(pageJson(ctx, page));
}

/** The answer's bytes: the envelope around the page's records, spliced in as they are. */
function pageJson(ctx: HubAppContext, page: FeedPage): Buffer {
  const now = ctx.now();
  const asOf = page.metaAsOf !== null && Date.parse(page.metaAsOf) < now.getTime() ? page.metaAsOf : now.toISOString();
  const head = `{"feedId":${JSON.stringify(ctx.feedId)},"asOf":${JSON.stringify(asOf)},"hubTime":"${now.toISOString()}","head":${page.head},"next":${page.next},"more":${page.more},"changes":[`;
  return Buffer.concat([Buffer.from(head), page.body, Buffer.from(']}')]);
}

async function events(ctx: HubAppContext, req: Request, res: Response): Promise<void> {
  const parsed = eventsRequest.safeParse(req.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw httpError(400, 'BAD_REQUEST', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const device = deviceOf(res);
  if (parsed.data.deviceId !== device.deviceId) throw httpError(403, 'DEVICE_FORBIDDEN', `this token belongs to device ${device.deviceId}, not ${parsed.data.deviceId}`);
  checkOffice(device, parsed.data.office);
  const { results, hubTime } = await ctx.events.submit({ device, request: parsed.data });
  const conflicts = results.filter((r) => r.status === 'conflict').length;
  ctx.logger.info({ deviceId: device.deviceId, events: results.length, conflicts }, 'hub: events received');
  res.status(200).json({ hubTime: hubTime.toISOString(), results });
}

async function auditHead(ctx: HubAppContext, res: Response): Promise<void> {
  const device = deviceOf(res);
  const head = await ctx.store.auditHead(device.deviceId);
  if (!head) throw httpError(404, 'NOT_FOUND', `the hub holds no audit head for device ${device.deviceId} yet`);
  sendJson(ctx, res, 200, head);
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Registered last: one answer shape, and nothing of a parser's or driver's own words. */
function errorHandler(ctx: HubAppContext) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return void req.socket.destroy();
    const fail = (status: number, code: string, message: string) => sendJson(ctx, res, status, { error: { code, message } });
    const status = isKioskError(err) ? Number(err.context['status'] ?? 0) : 0;
    if (isKioskError(err) && status > 0) return fail(status, String(err.context['wireCode']), err.message);
    const parser = (err ?? {}) as BodyParserError;
    if (parser.type === 'entity.too.large') return fail(413, 'TOO_LARGE', `the body is larger than ${ctx.maxBodyBytes ?? MAX_BODY_BYTES} bytes`);
    if (parser.type === 'entity.parse.failed') return fail(400, 'BAD_REQUEST', 'the body is not valid JSON');
    if (parser.type === 'request.aborted') return void req.socket.destroy();
    if (typeof parser.status === 'number' && parser.status >= 400 && parser.status < 500) return fail(400, 'BAD_REQUEST', 'bad request');
    if (isUnavailable(err)) {
      ctx.logger.warn({ err }, 'hub: database unavailable');
      res.setHeader('Retry-After', '5');
      return fail(503, 'UNAVAILABLE', "the hub's database is busy or unreachable; try again shortly");
    }
    ctx.logger.error({ err, path: req.path }, 'hub: request failed');
    fail(500, 'INTERNAL', 'the hub failed to answer; try again later');
  };
}

/** SQLite busy (another process writes), PostgreSQL unreachable or shutting down. */
function isUnavailable(err: unknown): boolean {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  return code.startsWith('SQLITE_BUSY') || code.startsWith('ECONN') || code === 'ETIMEDOUT' || code.startsWith('57P') || code.startsWith('08') || isKioskError(err, 'DATABASE');
}
