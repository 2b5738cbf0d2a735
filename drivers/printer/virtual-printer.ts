// A virtual ticket printer on loopback TCP, for tests and the demo: EPSON (ESC/POS) or STAR line
// mode. It records the stream, answers real-time status at once (EPSON DLE EOT, STAR ESC ACK SOH
// with an ASB frame) and the confirmations in order (EPSON GS r, STAR ETB counter), can be switched
// to paper-out / cover-open / near-end, and decodes what it printed. Like a real printer it prints
// in order, at a speed you may set, and while paper is out or the cover is open it holds what it
// receives and prints it once ready again, unless the buffers are cleared (DLE DC4 8, STAR CAN).
// Faults on demand: never confirming, hanging up instead of confirming, hanging up after N bytes.
import { createServer, type Server, type Socket } from 'node:net';
import { TypedEmitter } from '../events.js';
import { TicketAssembler, type DecodedTicket } from './escpos-decoder.js';
import { parseEscPos, type Op } from './escpos-parser.js';
import { statusBytes } from './escpos-status.js';
import { asbBytes } from './star-status.js';
import type { PrinterType } from './types.js';

export interface VirtualPrinterOptions {
  /** Only loopback makes sense for a test device. Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Which command set to speak. Default epson. */
  type?: PrinterType;
}

/** What the printer does with a confirmation request (EPSON GS r, STAR ETB). */
export type ConfirmationMode = 'answer' | 'ignore' | 'hang-up';

export interface VirtualPrinterEvents extends Record<string, unknown[]> {
  /** A ticket was cut: what it reads. */
  ticket: [DecodedTicket];
}

interface Queued {
  op: Op;
  socket: Socket;
}

export class VirtualPrinter extends TypedEmitter<VirtualPrinterEvents> {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private raw: Buffer[] = [];
  private assembler = new TicketAssembler();
  /** Received, not yet printed (in order); "held" while not ready. */
  private queue: Queued[] = [];
  private lineTimer: NodeJS.Timeout | undefined;
  private paperOut = false;
  private coverOpen = false;
  private nearEnd = false;
  private linesLeft: number | null = null;
  private lineMs = 0;
  private confirmation: ConfirmationMode = 'answer';
  private dropAfter: number | null = null;
  private dropsLeft = 0;
  private asbOn = false;
  private etbCounter = 0;
  private etbExecuted = false;
  private readonly type: PrinterType;

  constructor(private readonly opts: VirtualPrinterOptions = {}) {
    super();
    this.type = opts.type ?? 'epson';
  }

  async start(): Promise<{ port: number }> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('virtual printer: no TCP address');
    return { port: address.port };
  }

  async stop(): Promise<void> {
    clearTimeout(this.lineTimer);
    this.lineTimer = undefined;
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  setPaperOut(on: boolean): void {
    this.paperOut = on;
    this.statusChanged();
    this.pump();
  }

  setCoverOpen(on: boolean): void {
    this.coverOpen = on;
    this.statusChanged();
    this.pump();
  }

  setNearEnd(on: boolean): void {
    this.nearEnd = on;
    this.statusChanged();
  }

  /** The roll runs out after this many more printed lines (null: endless). Models paper-out mid-ticket. */
  setPaperRemaining(lines: number | null): void {
    this.linesLeft = lines;
  }

  /** Printing takes this long per line (default 0: at once). Status is answered meanwhile, as on a real printer. */
  setLineDelay(ms: number): void {
    this.lineMs = ms;
  }

  /** answer (default), ignore (a printer that cannot confirm), or hang-up (prints, then closes instead of answering). */
  setConfirmation(mode: ConfirmationMode): void {
    this.confirmation = mode;
  }

  /**
   * A connection is reset by the printer once it has received this many bytes (null: never), the
   * next `times` times it happens (default: every time).
   */
  setDropAfterBytes(bytes: number | null, times = Number.POSITIVE_INFINITY): void {
    this.dropAfter = bytes;
    this.dropsLeft = times;
  }

  /** STAR: automatic status back on, as a memory switch would set it (ESC RS a n does the same). */
  setAsb(on: boolean): void {
    this.asbOn = on;
  }

  /** Commands received and not printed yet: held while paper is out, until cleared. */
  held(): number {
    return this.queue.length;
  }

  /** Every byte received, status queries included. */
  received(): Buffer {
    return Buffer.concat(this.raw);
  }

  /** What was printed: one entry per cut ticket, plus uncut output at the end. Held data is not printed. */
  decode(): DecodedTicket[] {
    return this.assembler.result();
  }

  /** Forget what was received and printed (held data too). */
  clear(): void {
    this.raw = [];
    this.assembler = new TicketAssembler();
    this.queue = [];
  }

  private ready(): boolean {
    return !this.paperOut && !this.coverOpen;
  }

  private asb(): Buffer {
    const frame = asbBytes({ paperOut: this.paperOut, coverOpen: this.coverOpen, nearEnd: this.nearEnd, etbCounter: this.etbCounter, etbExecuted: this.etbExecuted });
    this.etbExecuted = false; // cleared once sent to the host
    return frame;
  }

  /** STAR with ASB on: every status change is sent without being asked. */
  private statusChanged(): void {
    if (this.type !== 'star' || !this.asbOn) return;
    for (const s of this.sockets) if (!s.destroyed) s.write(this.asb());
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    let pending: Buffer = Buffer.alloc(0);
    let received = 0;
    socket.on('data', (data: Buffer) => {
      let chunk = data;
      const budget = this.dropAfter !== null && this.dropsLeft > 0 ? this.dropAfter - received : null;
      if (budget !== null && chunk.length >= budget) chunk = chunk.subarray(0, budget);
      received += chunk.length;
      this.raw.push(chunk);
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      const { ops, consumed } = parseEscPos(pending, this.type);
      pending = pending.subarray(consumed);
      for (const op of ops) this.receive(op, socket);
      if (budget !== null && chunk.length === budget) {
        this.dropsLeft--;
        socket.resetAndDestroy(); // like a lost connection: what was in flight is refused
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** Real-time commands are answered on arrival, even while held; everything else prints in order. */
  private receive(op: Op, socket: Socket): void {
    if (op.op === 'dle-eot') {
      if (this.type !== 'epson') return; // STAR line mode has no DLE EOT
      const answers = statusBytes({ paperOut: this.paperOut, coverOpen: this.coverOpen, nearEnd: this.nearEnd });
      const n = op.n as 1 | 2 | 3 | 4;
      if (n >= 1 && n <= 4) socket.write(Buffer.from([answers[n]]));
      return;
    }
    if (op.op === 'star-status') {
      if (this.type === 'star') socket.write(this.asb());
      return;
    }
    if (op.op === 'clear-buffers') {
      this.queue = [];
      return;
    }
    this.queue.push({ op, socket });
    this.pump();
  }

  private pump(): void {
    if (this.lineTimer) return; // a line is being printed
    while (this.ready() && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.process(next.op, next.socket);
      if (next.op.op === 'lf' && this.lineMs > 0) {
        this.lineTimer = setTimeout(() => {
          this.lineTimer = undefined;
          this.pump();
        }, this.lineMs);
        return;
      }
    }
  }

  private process(op: Op, socket: Socket): void {
    switch (op.op) {
      case 'gs-r':
        if (this.type === 'epson') this.confirm(socket, () => Buffer.from([statusBytes({ paperOut: this.paperOut, coverOpen: this.coverOpen, nearEnd: this.nearEnd }).gsR1]));
        return;
      case 'etb':
        this.confirm(socket, () => {
          this.etbCounter = (this.etbCounter + 1) & 0x1f;
          this.etbExecuted = true;
          return this.asbOn ? this.asb() : null;
        });
        return;
      case 'etb-reset':
        this.etbCounter = 0;
        this.etbExecuted = false;
        return;
      case 'asb-config':
        this.asbOn = op.on;
        if (op.on && !socket.destroyed) socket.write(this.asb());
        return;
      case 'lf':
        if (this.linesLeft !== null && --this.linesLeft <= 0) {
          this.linesLeft = null;
          this.paperOut = true;
          this.assembler.add(op);
          this.statusChanged();
          return;
        }
        break;
      default:
        break;
    }
    this.assembler.add(op);
    if (op.op === 'cut') {
      const tickets = this.assembler.result();
      const last = tickets[tickets.length - 1];
      if (last) this.emit('ticket', last);
    }
  }

  private confirm(socket: Socket, answer: () => Buffer | null): void {
    if (this.confirmation === 'ignore') return;
    if (this.confirmation === 'hang-up') {
      socket.destroy();
      return;
    }
    const bytes = answer();
    if (bytes && !socket.destroyed) socket.write(bytes);
  }
}
