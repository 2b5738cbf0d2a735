// Thin typed wrapper over the /kiosk Socket.IO namespace: state, verdicts and calls down; scans up.
import { io, type Socket } from 'socket.io-client';
import type { CalledTicket, KioskClientEvents, KioskServerEvents, KioskState, VerdictEvent } from '../../../protocol/events.js';
import type { ActionError } from '../../../protocol/events.js';
import { setOfficeTimeZone } from '../common/format.js';

export type KioskSocket = Socket<KioskServerEvents, KioskClientEvents>;

export interface KioskConnectionHandlers {
  state?: (s: KioskState) => void;
  verdict?: (e: VerdictEvent) => void;
  called?: (c: CalledTicket) => void;
  /** true when connected to the daemon, false while (re)connecting. */
  link?: (connected: boolean) => void;
}

export type ScanResult = { ok: true; event: VerdictEvent } | { ok: false; error: ActionError };

export class KioskConnection {
  private readonly socket: KioskSocket;

  constructor(handlers: KioskConnectionHandlers, url = '/kiosk') {
    this.socket = io(url, { transports: ['websocket', 'polling'] });
    this.socket.on('state', (s) => setOfficeTimeZone(s.office.timeZone));
    if (handlers.state) this.socket.on('state', handlers.state);
    if (handlers.verdict) this.socket.on('verdict', handlers.verdict);
    if (handlers.called) this.socket.on('called', handlers.called);
    const link = handlers.link;
    if (link) {
      this.socket.on('connect', () => link(true));
      this.socket.on('disconnect', () => link(false));
      this.socket.on('connect_error', () => link(false));
    }
  }

  /** Listen to one server event; returns the unsubscribe. */
  on<E extends keyof KioskServerEvents>(event: E, fn: KioskServerEvents[E]): () => void {
    // socket.io's typed `on` does not narrow a generic key; the map above keeps callers honest.
    const s = this.socket as unknown as { on(e: string, f: unknown): void; off(e: string, f: unknown): void };
    s.on(event, fn);
    return () => s.off(event, fn);
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Send a camera or typed scan; resolves with the daemon's verdict event. */
  async scan(text: string, source: 'camera' | 'typed', timeoutMs = 8000): Promise<ScanResult> {
    // Socket.IO would hold the emit until it reconnects: say "not connected" now instead.
    if (!this.socket.connected) return { ok: false, error: { code: 'OFFLINE', message: 'not connected to the kiosk daemon' } };
    try {
      const r = await this.socket.timeout(timeoutMs).emitWithAck('scan', { text, source });
      return 'error' in r ? { ok: false, error: r.error } : { ok: true, event: r };
    } catch {
      return { ok: false, error: { code: 'TIMEOUT', message: 'no answer from the kiosk daemon' } };
    }
  }

  /** Ask for a reprint of the ticket a repeat scan showed (once per such scan). */
  async reprint(scanId: string, timeoutMs = 8000): Promise<{ ok: true } | { ok: false; error: ActionError }> {
    if (!this.socket.connected) return { ok: false, error: { code: 'OFFLINE', message: 'not connected to the kiosk daemon' } };
    try {
      return await this.socket.timeout(timeoutMs).emitWithAck('reprint', { scanId });
    } catch {
      return { ok: false, error: { code: 'TIMEOUT', message: 'no answer from the kiosk daemon' } };
    }
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.close();
  }
}
