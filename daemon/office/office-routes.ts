// The station-to-station routes, /office/v1/…: the office log's messages (sync/raft), a command
// passed on to the queue holder, a station asking to join, and the queue as this station holds it.
// Every route takes only a bearer token of one of this office's stations (station-auth.ts).
import { json, Router, type Response } from 'express';
import { z } from 'zod';
import { bearerOf, claimsOtherStation, postToStation, raftRouter, stationsOnly } from '../../sync/raft/http-transport.js';
import { member, NotLeaderError } from '../../sync/raft/types.js';
import type { DaemonContext } from '../context.js';
import { officeCommand } from './commands.js';
import type { OfficeQueue } from './office-queue.js';

const proposal = z.object({ from: z.string().min(1).max(64), command: officeCommand });
const joinRequest = z.object({ member });
const LIMIT = '64kb';

export function officeRoutes(ctx: DaemonContext, office: OfficeQueue, authenticate: (token: string) => string | null): Router {
  const router = Router();
  // The office log's messages authenticate themselves (once: they are the heartbeat traffic).
  router.use('/raft', raftRouter(() => office.raft(), authenticate));
  router.use(stationsOnly(authenticate));

  /** A command from a station that does not hold the queue: appended here, answered once applied. */
  router.post('/propose', json({ limit: LIMIT }), async (req, res) => {
    const parsed = proposal.safeParse(req.body);
    if (!parsed.success) return void badRequest(res, 'not an office queue command');
    if (claimsOtherStation(res, parsed.data.from)) return;
    try {
      res.json({ applied: await office.appendForwarded(parsed.data.command) });
    } catch (e) {
      notHolder(res, e, ctx);
    }
  });

  /** A station joins (or moves): passed on to the queue holder, which appends the new membership. */
  router.post('/join', json({ limit: LIMIT }), async (req, res) => {
    const parsed = joinRequest.safeParse(req.body);
    if (!parsed.success) return void badRequest(res, 'not a join request');
    if (claimsOtherStation(res, parsed.data.member.id)) return;
    const node = office.raft();
    office.noteAddress(parsed.data.member);
    try {
      if (node?.status().role === 'leader') {
        await office.admit(parsed.data.member);
        return void res.json({ members: node.members().length });
      }
      const leader = node?.leader();
      if (!leader) throw new NotLeaderError(null);
      // The joining station's own token goes on with its request: the holder checks it itself.
      const passed = await postToStation(office.urlOf(leader), '/office/v1/join', { token: bearerOf(req)!, body: parsed.data, timeoutMs: 3_000 }, async (answer) => ({
        status: answer.status,
        body: (await answer.json()) as unknown,
      }));
      res.status(passed.status).json(passed.body);
    } catch (e) {
      notHolder(res, e, ctx);
    }
  });

  /** The office log's state and the queue as this station holds it. */
  router.get('/status', (_req, res) => {
    const node = office.raft();
    const now = ctx.now();
    res.json({
      ...office.state(),
      log: node ? { ...node.status(), leader: node.leader()?.id ?? null } : null,
      queue: ctx.tickets.open(ctx.config.office, now).map((t) => ({ id: t.id, number: t.number, status: t.status, counter: t.counter })),
    });
  });

  router.use((_req, res) => void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such office route' } }));
  return router;
}

function badRequest(res: Response, message: string): void {
  res.status(400).json({ error: { code: 'BAD_REQUEST', message } });
}

function notHolder(res: Response, e: unknown, ctx: DaemonContext): void {
  if (e instanceof NotLeaderError) return void res.status(503).json({ error: { code: 'QUEUE_UNAVAILABLE', message: e.message } });
  ctx.logger.warn({ err: e }, 'office queue: a station request failed');
  res.status(503).json({ error: { code: 'QUEUE_UNAVAILABLE', message: 'the office log could not take it now' } });
}
