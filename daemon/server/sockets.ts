// Socket.IO: /kiosk for the screens (read-only state and verdicts, plus the kiosk's own camera and
// typed input), /staff for signed-in staff actions. Every payload is validated; every staff action
// re-checks the session and is idempotent on its client id.
import type { Namespace, Server, Socket } from 'socket.io';
import { z } from 'zod';
import type { Verdict } from '../../protocol/verdict.js';
import type {
  ActionError,
  ActionFailure,
  TicketRef,
  TicketView,
  KioskClientEvents,
  KioskServerEvents,
  StaffClientEvents,
  StaffServerEvents,
} from '../../protocol/events.js';
import type { DaemonContext } from '../context.js';
import type { StaffActions } from '../counter/staff-actions.js';
import type { OfficeQueueActions } from '../office/office-actions.js';
import { ticketIdFromQr } from '../counter/ticket-content.js';
import { counterState } from '../counter/views.js';
import { isKioskError, KioskError } from '../errors.js';
import { retryWhileBusy } from '../store/db.js';
import type { HealthBoard } from '../health-board.js';
import type { ScanPipeline } from '../scan/pipeline.js';
import type { Staff } from '../staff/staff-store.js';

/** A scanner frame is bounded at 64 KiB by the drivers; UI input gets the same bound. */
const MAX_SCAN_TEXT = 64 * 1024;
const actionId = z.string().min(1).max(100);
const kioskSchemas = {
  kioskScan: z.object({ text: z.string().max(MAX_SCAN_TEXT), source: z.enum(['camera', 'typed']) }),
  kioskReprint: z.object({ scanId: z.string().uuid() }),
};

/** The staff requests' fields, validated; a counter must be one of KIOSK_COUNTERS. */
function staffSchemas(counterProblem: (counter: string) => { error: { message: string } } | null) {
  const counter = z.string().superRefine((c, issues) => {
    const problem = counterProblem(c);
    if (problem) issues.addIssue({ code: 'custom', message: problem.error.message });
  });
  const ticketId = z.string().min(1).max(64);
  return {
    scan: z.object({ id: actionId, text: z.string().max(MAX_SCAN_TEXT), counter: counter.optional() }),
    callNext: z.object({ id: actionId, counter }),
    handover: z.object({ id: actionId, receiptNumber: z.string().min(1).max(64), ticketId: ticketId.optional() }),
    code: z.object({ id: actionId, text: z.string().max(MAX_SCAN_TEXT) }),
    reprint: z.object({ id: actionId, ticketId }),
    lookup: z.object({ id: actionId, receiptNumber: z.string().min(1).max(64), reason: z.string().trim().min(3).max(500) }),
    resolve: z.object({ id: actionId, conflictId: z.string().min(1).max(64), note: z.string().trim().min(1).max(500) }),
    recall: z.object({ id: actionId, ticketId, counter }),
    ticket: z.object({ id: actionId, ticketId }),
    cancel: z.object({ id: actionId, ticketId, reason: z.string().trim().min(3).max(200) }),
  };
}

/** What each field must be, in words: a refusal names what was wrong, never zod's own English. */
const FIELD_WORDS: Record<string, string> = {
  id: 'an action id (1 to 100 characters)',
  text: 'the scanned text (at most 64 KiB)',
  source: 'where the scan came from: camera or typed',
  scanId: 'the id of the scan to reprint for',
  counter: 'a counter of this office',
  receiptNumber: 'a receipt number',
  ticketId: 'a ticket',
  reason: 'a reason in words',
  conflictId: 'the conflict to resolve',
  note: 'a note saying how the conflict was resolved',
};

function inWords(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request was not understood.';
  if (issue.code === 'custom') return issue.message;
  const field = issue.path[0];
  const words = typeof field === 'string' ? FIELD_WORDS[field] : undefined;
  if (!words) return 'The request was not understood: reload the screen and try again.';
  if (field === 'reason' && issue.code === 'too_small') return 'Give a reason in words (at least 3 characters).';
  return `The request needs ${words}.`;
}

export interface SocketDeps {
  io: Server;
  ctx: DaemonContext;
  board: HealthBoard;
  pipeline: ScanPipeline;
  actions: StaffActions;
  /** The office's queue actions when the queue is the office's (daemon/office/); this station's own otherwise. */
  officeQueue?: OfficeQueueActions | null;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

type CounterScanResult = { verdict: Verdict | null; ticket: TicketRef | null; items: TicketView | null };

export function attachSockets({ io, ctx, board, pipeline, actions, officeQueue = null }: SocketDeps): { broadcastState(): void; dropEndedSessions(): void; stop(): void } {
  const kiosk = io.of('/kiosk') as unknown as Namespace<KioskClientEvents, KioskServerEvents>;
  /** Who moves tickets: the office's shared queue when there is one, else this machine's. */
  const queue = officeQueue ?? actions.queue;
  const scansInFlight = new Map<string, { request: string; result: Promise<CounterScanResult> }>();
  const staffNs = io.of('/staff') as unknown as Namespace<StaffClientEvents, StaffServerEvents>;

  // Read-only screens may connect from loopback without credentials; others need a staff token.
  kiosk.use((socket, next) => {
    if (LOOPBACK.test(socket.handshake.address) || sessionOf(socket)) return next();
    next(new Error('unauthorized: the kiosk screen connects from the device itself'));
  });
  /** A non-loopback screen was let in on a staff token: it stays only while that session lives. */
  const kioskAllowed = (socket: Socket) => LOOPBACK.test(socket.handshake.address) || sessionOf(socket, false) !== null;
  kiosk.on('connection', (socket) => {
    socket.emit('state', board.kioskState());
    socket.on('scan', (payload, ack) => {
      if (!kioskAllowed(socket)) return void socket.disconnect(true);
      const parsed = kioskSchemas.kioskScan.safeParse(payload);
      if (!parsed.success) return void safeAck(ack, { ok: false, error: { code: 'BAD_REQUEST', message: inWords(parsed.error) } } satisfies ActionFailure);
      pipeline
        .submit({ text: parsed.data.text, deviceId: `${ctx.config.deviceId}:${parsed.data.source}`, source: parsed.data.source, receivedAt: new Date() })
        .then((event) => safeAck(ack, event), (e: unknown) => safeAck(ack, { ok: false, error: errorOf(e) }));
    });
    socket.on('reprint', (payload, ack) => {
      if (!kioskAllowed(socket)) return void socket.disconnect(true);
      const parsed = kioskSchemas.kioskReprint.safeParse(payload);
      const ticketId = parsed.success ? pipeline.takeReprintOffer(parsed.data.scanId, ctx.now()) : null;
      if (!ticketId) return void safeAck(ack, { ok: false, error: { code: 'NO_REPRINT_OFFER', message: 'scan the code again to reprint its ticket' } } satisfies ActionFailure);
      try {
        safeAck(ack, ctx.cache.db.transaction(() => actions.printAgain({ deviceId: ctx.config.deviceId }, ticketId, `kiosk-reprint:${parsed.data!.scanId}`))());
        ctx.bus.emit('stateChanged');
      } catch (e) {
        ctx.logger.error({ err: e }, 'kiosk reprint failed');
        safeAck(ack, { ok: false, error: errorOf(e) });
      }
    });
  });

  staffNs.use((socket, next) => {
    const staff = sessionOf(socket);
    if (!staff) return next(new Error('unauthorized: sign in first'));
    socket.data.staff = staff;
    next();
  });
  staffNs.on('connection', (socket) => {
    socket.emit('state', board.kioskState());
    socket.emit('counter-state', counterState(ctx));
    const actor = (staff: Staff) => ({ staffId: staff.id, deviceId: ctx.config.deviceId });
    /** A refusal made before or around an action (a bad request, an error) is audited here; the actions audit their own. */
    const auditRefusal = (event: string, payload: unknown, staff: Staff, error: ActionError) => {
      const id = (payload as { id?: unknown } | null)?.id;
      try {
        ctx.cache.db.transaction(() => actions.runner.refused(actor(staff), event, typeof id === 'string' ? id.slice(0, 100) : null, error))();
      } catch (e) {
        ctx.logger.error({ err: e, event }, 'refused staff action could not be audited');
      }
    };
    const handle = <S extends z.ZodTypeAny, R>(event: keyof StaffClientEvents, schema: S, run: (p: z.infer<S>, staff: Staff) => R | Promise<R>) => {
      socket.on(event, (async (payload: unknown, ack: (r: unknown) => void) => {
        const staff = sessionOf(socket);
        if (!staff) {
          safeAck(ack, { ok: false, error: { code: 'UNAUTHORIZED', message: 'the session has expired: sign in again' } } satisfies ActionFailure);
          socket.disconnect(true);
          return;
        }
        const parsed = schema.safeParse(payload);
        if (!parsed.success) {
          const error: ActionError = { code: 'BAD_REQUEST', message: inWords(parsed.error) };
          ctx.metrics.staffActions.inc({ kind: event, result: 'refused' });
          auditRefusal(event, payload, staff, error);
          return void safeAck(ack, { ok: false, error } satisfies ActionFailure);
        }
        try {
          // Another process may hold the write lock for a moment (an import): wait for it, within bounds.
          const result = await retryWhileBusy(() => run(parsed.data, staff));
          ctx.metrics.staffActions.inc({ kind: event, result: (result as { ok?: boolean }).ok === false ? 'refused' : 'ok' });
          safeAck(ack, result);
          ctx.bus.emit('stateChanged');
        } catch (e) {
          ctx.metrics.staffActions.inc({ kind: event, result: 'error' });
          if (!isKioskError(e)) ctx.logger.error({ err: e, event }, 'staff action failed');
          const error = errorOf(e);
          auditRefusal(event, payload, staff, error);
          safeAck(ack, { ok: false, error });
        }
      }) as never);
    };

    /** A counter scan: a ticket QR calls its ticket up, anything else is verified as a counter scan. */
    const scanRequest = (p: { id: string; text: string; counter?: string | undefined }, staff: Staff) => ({ id: p.id, kind: 'scan', staffId: staff.id, payload: { text: p.text, counter: p.counter ?? null } });
    const runCounterScan = async (p: { id: string; text: string; counter?: string | undefined }, staff: Staff): Promise<CounterScanResult> => {
      const ticketId = ticketIdFromQr(p.text);
      let result: CounterScanResult;
      if (ticketId) {
        const items = await queue.callByTicketScan(actor(staff), ticketId, p.counter ?? null);
        result = { verdict: null, ticket: items ? { id: items.id, number: items.number } : null, items };
      } else {
        const e = await pipeline.submit({ text: p.text, deviceId: `${ctx.config.deviceId}:staff:${staff.id}`, source: 'typed', receivedAt: new Date(), mode: 'counter', staffId: staff.id });
        result = { verdict: e.verdict, ticket: e.ticket, items: null };
      }
      actions.results.remember(scanRequest(p, staff), result);
      return result;
    };
    const counterScan = (p: { id: string; text: string; counter?: string | undefined }, staff: Staff): CounterScanResult | Promise<CounterScanResult> => {
      const earlier = actions.results.previous<CounterScanResult>(scanRequest(p, staff));
      if (earlier) return earlier;
      // A retry while the first is still queued waits for the first answer instead of scanning twice.
      const request = JSON.stringify(scanRequest(p, staff));
      const inFlight = scansInFlight.get(p.id);
      if (inFlight && inFlight.request !== request) throw new KioskError(`action id ${p.id} was already used for a different request: send a new id`, 'BAD_REQUEST');
      if (inFlight) return inFlight.result;
      const result = runCounterScan(p, staff).finally(() => scansInFlight.delete(p.id));
      scansInFlight.set(p.id, { request, result });
      return result;
    };

    const schemas = staffSchemas((c) => actions.queue.counterProblem(c));
    handle('scan', schemas.scan, (p, staff) => counterScan(p, staff));
    handle('call-next', schemas.callNext, (p, staff) => queue.callNext(actor(staff), p.id, p.counter));
    handle('recall', schemas.recall, (p, staff) => queue.recall(actor(staff), p.id, p.ticketId, p.counter));
    handle('no-show', schemas.ticket, (p, staff) => queue.noShow(actor(staff), p.id, p.ticketId));
    handle('requeue', schemas.ticket, (p, staff) => queue.requeue(actor(staff), p.id, p.ticketId));
    handle('cancel', schemas.cancel, (p, staff) => queue.cancel(actor(staff), p.id, p.ticketId, p.reason));
    handle('handover', schemas.handover, (p, staff) => actions.handover(actor(staff), p.id, p.receiptNumber, p.ticketId));
    handle('register-receiver', schemas.code, (p, staff) => actions.registerReceiver(actor(staff), p.id, p.text));
    handle('apply-password-change', schemas.code, (p, staff) => actions.applyPasswordChange(actor(staff), p.id, p.text));
    handle('reprint', schemas.reprint, (p, staff) => actions.reprint(actor(staff), p.id, p.ticketId));
    handle('lookup', schemas.lookup, (p, staff) => actions.lookup(actor(staff), p.id, p.receiptNumber, p.reason));
    handle('resolve-conflict', schemas.resolve, (p, staff) => actions.resolveConflict(actor(staff), p.id, p.conflictId, p.note));
  });

  /** The socket's staff session; `touch` = this is the person acting (idle time restarts). */
  const sessionOf = (socket: Socket, touch = true): Staff | null => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    return typeof token === 'string' ? ctx.staff.session(token, ctx.now(), { touch }) : null;
  };

  ctx.bus.on('verdict', io, (e) => {
    if (!e.staffId) kiosk.emit('verdict', e); // a staff member's counter scan is not the public's business
    staffNs.emit('verdict', e);
  });
  ctx.bus.on('called', io, (c) => {
    kiosk.emit('called', c);
    staffNs.emit('called', c);
  });
  // Signed out, disabled or expired: the session's sockets stop receiving at once.
  const dropSockets = (keep: (socket: Socket) => boolean) => {
    for (const ns of [staffNs, kiosk] as unknown as Namespace[]) {
      for (const socket of ns.sockets.values()) if (!keep(socket)) socket.disconnect(true);
    }
  };
  ctx.bus.on('sessionEnded', io, (token) => dropSockets((s) => (s.handshake.auth as { token?: unknown } | undefined)?.token !== token));
  const dropEndedSessions = () => dropSockets((s) => (s.nsp.name === '/kiosk' ? kioskAllowed(s) : sessionOf(s, false) !== null));

  let pending: NodeJS.Timeout | undefined;
  // Only build what somebody is connected to see.
  const broadcastState = () => {
    const staffOnline = staffNs.sockets.size > 0;
    if (kiosk.sockets.size === 0 && !staffOnline) return;
    const state = board.kioskState();
    kiosk.emit('state', state);
    if (!staffOnline) return;
    staffNs.emit('state', state);
    staffNs.emit('counter-state', counterState(ctx));
  };
  // Bursts of changes (a scan, a printer flap) become one push.
  ctx.bus.on('stateChanged', io, () => {
    pending ??= setTimeout(() => {
      pending = undefined;
      broadcastState();
    }, 50);
  });
  const stop = () => {
    clearTimeout(pending);
    ctx.bus.removeListeners(io);
  };
  return { broadcastState, dropEndedSessions, stop };
}

function errorOf(e: unknown): ActionError {
  return isKioskError(e) ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: 'internal error' };
}

function safeAck(ack: unknown, value: unknown): void {
  if (typeof ack === 'function') ack(value);
}
