// Thin typed wrapper over the /staff namespace (auth: { token }). Every action carries a client id;
// callers keep the id of an unanswered action and pass it again on retry, so the daemon acts once.
import { io, type Socket } from 'socket.io-client';
import type { CounterState, KioskState, StaffClientEvents, StaffServerEvents, CalledTicket, ActionError } from '../../../protocol/events.js';
import { setOfficeTimeZone } from '../common/format.js';
import { ActionIds, isUnanswered } from './action-ids.js';

export type StaffSocket = Socket<StaffServerEvents, StaffClientEvents>;

export interface StaffConnectionHandlers {
  state?: (s: KioskState) => void;
  counterState?: (s: CounterState) => void;
  called?: (c: CalledTicket) => void;
  link?: (connected: boolean) => void;
  /** The daemon refused the token (expired, signed out elsewhere): back to sign-in. */
  sessionEnded?: (reason: string) => void;
}

type Payload<E extends keyof StaffClientEvents> = Parameters<StaffClientEvents[E]>[0];
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Answer<E extends keyof StaffClientEvents> = Parameters<Parameters<StaffClientEvents[E]>[1]>[0];

/** An ack, or the error the wrapper made up (timeout, not connected). */
export type Result<E extends keyof StaffClientEvents> = Answer<E> | { error: ActionError };

const SESSION_CODES = new Set(['UNAUTHORIZED', 'SESSION_EXPIRED', 'FORBIDDEN']);

export class StaffConnection {
  private readonly socket: StaffSocket;
  private readonly ids = new ActionIds();

  constructor(token: string, private readonly handlers: StaffConnectionHandlers, url = '/staff') {
    this.socket = io(url, { auth: { token }, transports: ['websocket', 'polling'] });
    const h = handlers;
    this.socket.on('state', (s) => setOfficeTimeZone(s.office.timeZone));
    if (h.state) this.socket.on('state', h.state);
    if (h.counterState) this.socket.on('counter-state', h.counterState);
    if (h.called) this.socket.on('called', h.called);
    this.socket.on('connect', () => h.link?.(true));
    this.socket.on('disconnect', (reason) => {
      h.link?.(false);
      // The server closing the socket on purpose means the session is over.
      if (reason === 'io server disconnect') h.sessionEnded?.(reason);
    });
    this.socket.on('connect_error', (err) => {
      h.link?.(false);
      // A middleware refusal leaves the socket inactive (no automatic retry); a network error does not.
      if (!this.socket.active) h.sessionEnded?.(err.message);
    });
  }

  /** Emit an action with its ack; never throws. */
  async send<E extends keyof StaffClientEvents>(event: E, payload: Payload<E>, timeoutMs = 10_000): Promise<Result<E>> {
    if (!this.socket.connected) return { error: { code: 'OFFLINE', message: 'not connected to the daemon' } };
    try {
      // The generic event map loses its shape through timeout(); the payload and answer types above hold.
      const s = this.socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> };
      const answer = (await s.emitWithAck(event, payload)) as Answer<E>;
      const err = (answer as { error?: ActionError } | null)?.error;
      if (err && SESSION_CODES.has(err.code)) this.handlers.sessionEnded?.(err.code);
      return answer;
    } catch {
      return { error: { code: 'TIMEOUT', message: 'no answer from the daemon; retry sends the same request' } };
    }
  }

  /**
   * One logical action (`key`, e.g. \`handover:<receipt>\`) with its client id: a retry after no
   * answer sends the same id, so the daemon acts once; an answer (yes or no) settles it.
   */
  async act<E extends keyof StaffClientEvents>(event: E, key: string, payload: DistributiveOmit<Payload<E>, 'id'>, timeoutMs?: number): Promise<Result<E>> {
    const r = await this.send(event, { ...payload, id: this.ids.idFor(key) } as unknown as Payload<E>, timeoutMs);
    const err = (r as { error?: ActionError } | null)?.error;
    if (!err || !isUnanswered(err.code)) this.ids.settle(key);
    return r;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.close();
  }
}
