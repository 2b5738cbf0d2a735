// The office log's messages over HTTP on the office LAN: POST /office/v1/raft/{vote,append,snapshot}
// with the sending station's bearer token. Short deadlines: a station that does not answer in time
// counts as unreachable for this round, and the leader tries again at its next heartbeat.
import { Router, json, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { deadline } from '../deadline.js';
import type { RaftNode } from './node.js';
import {
  appendRequest,
  appendResponse,
  snapshotRequest,
  snapshotResponse,
  voteRequest,
  voteResponse,
  type AppendRequest,
  type AppendResponse,
  type Member,
  type RaftTransport,
  type SnapshotRequest,
  type SnapshotResponse,
  type VoteRequest,
  type VoteResponse,
} from './types.js';

export const RAFT_PATH = '/office/v1/raft';
/**
 * The station a message is meant for. An address can change hands (a station back on another's
 * old DHCP lease): whoever answers there must be the intended station, or its vote or
 * acknowledgement would be credited to another, and a "majority" could hold an entry only once.
 */
const RECIPIENT_HEADER = 'x-office-recipient';

export interface HttpTransportOptions {
  /** This station's token, presented to the others. */
  token: string;
  /** Deadline of one message (default 500 ms; a snapshot gets ten times that). */
  timeoutMs?: number;
}

export class HttpRaftTransport implements RaftTransport {
  constructor(private readonly o: HttpTransportOptions) {}

  requestVote(to: Member, request: VoteRequest): Promise<VoteResponse> {
    return this.post(to, 'vote', request, voteResponse);
  }

  appendEntries(to: Member, request: AppendRequest): Promise<AppendResponse> {
    return this.post(to, 'append', request, appendResponse);
  }

  installSnapshot(to: Member, request: SnapshotRequest): Promise<SnapshotResponse> {
    return this.post(to, 'snapshot', request, snapshotResponse, 10);
  }

  private post<T>(to: Member, what: string, body: unknown, schema: z.ZodType<T>, slower = 1): Promise<T> {
    const request = { token: this.o.token, body, timeoutMs: (this.o.timeoutMs ?? 500) * slower, headers: { [RECIPIENT_HEADER]: to.id } };
    return postToStation(to.url, `${RAFT_PATH}/${what}`, request, async (res) => {
      if (!res.ok) throw new Error(`${to.id} answered ${what} with HTTP ${res.status}`);
      return schema.parse(await res.json());
    });
  }
}

export interface StationRequest {
  /** The bearer token presented (this station's, or the one a passed-on request came with). */
  token: string;
  body: unknown;
  /** Deadline of the whole exchange, reading the answer included. */
  timeoutMs: number;
  cancel?: AbortSignal;
  headers?: Record<string, string>;
}

/** POST JSON to a route of another station and read its answer with `read`, all within the deadline. */
export async function postToStation<T>(base: string, path: string, request: StationRequest, read: (res: globalThis.Response) => Promise<T>): Promise<T> {
  const within = deadline(request.timeoutMs, request.cancel);
  try {
    const res = await fetch(new URL(path, base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${request.token}`, ...request.headers },
      body: JSON.stringify(request.body),
      signal: within.signal,
      redirect: 'error',
    });
    return await read(res);
  } finally {
    within.dispose();
  }
}

export function bearerOf(req: Request): string | null {
  return /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1] ?? null;
}

/**
 * 401 unless the request carries the token of one of the office's stations (`authenticate` names
 * the station a token belongs to, or null), before any body is read; the station's id goes in
 * res.locals.station.
 */
export function stationsOnly(authenticate: (token: string) => string | null): RequestHandler {
  return (req, res, next) => {
    const token = bearerOf(req);
    const station = token ? authenticate(token) : null;
    if (station === null) return void res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'not a station of this office' } });
    res.locals['station'] = station;
    next();
  };
}

/** 403 when a request names another station than the one its token belongs to (after stationsOnly). */
export function claimsOtherStation(res: Response, claimed: string): boolean {
  if (res.locals['station'] === claimed) return false;
  res.status(403).json({ error: { code: 'FORBIDDEN', message: `this token belongs to ${String(res.locals['station'])}` } });
  return true;
}

/** The routes a station serves to the others, for the stations `authenticate` knows only. */
export function raftRouter(node: () => RaftNode | null, authenticate: (token: string) => string | null): Router {
  const router = Router();
  router.use(stationsOnly(authenticate));
  // A snapshot carries two office days of tickets; votes and appends (at most 256 KB of entries) are small.
  router.use('/snapshot', json({ limit: '8mb' }));
  router.use(json({ limit: '1mb' }));
  /** Every message names its sender (candidate or leader): it must be the station the token belongs to. */
  const handle =
    <S extends z.ZodTypeAny>(schema: S, sender: (body: z.infer<S>) => string, answer: (n: RaftNode, body: z.infer<S>) => unknown) =>
    (req: Request, res: Response) => {
      const n = node();
      if (!n) return void res.status(503).json({ error: { code: 'NOT_READY', message: 'the office log is not running here' } });
      const parsed = schema.safeParse(req.body);
      if (!parsed.success) return void res.status(400).json({ error: { code: 'BAD_REQUEST', message: 'not an office log message' } });
      if (claimsOtherStation(res, sender(parsed.data))) return;
      // This address now belongs to another station than the sender thinks (409: undici does not hand a 421 back).
      if (req.get(RECIPIENT_HEADER) !== n.id) return void res.status(409).json({ error: { code: 'MISDIRECTED', message: `this is ${n.id}, not ${req.get(RECIPIENT_HEADER) ?? 'named'}` } });
      res.json(answer(n, parsed.data));
    };
  router.post('/vote', handle(voteRequest, (b) => b.candidateId, (n, b) => n.handleVote(b)));
  router.post('/append', handle(appendRequest, (b) => b.leaderId, (n, b) => n.handleAppend(b)));
  router.post('/snapshot', handle(snapshotRequest, (b) => b.leaderId, (n, b) => n.handleSnapshot(b)));
  return router;
}
