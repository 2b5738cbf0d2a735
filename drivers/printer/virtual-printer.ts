// A virtual ESC/POS printer on loopback TCP, for tests and the demo. It records the stream, answers
// DLE EOT (at once) and GS r (in order), can be switched to paper-out / cover-open / near-end, and
// decodes what it printed. Like a real printer, while paper is out or the cover is open it holds
// what it receives and prints it once ready again, unless DLE DC4 8 (clear buffers) drops it.
import { createServer, type Server, type Socket } from 'node:net';
import { TypedEmitter } from '../events.js';
import { TicketAssembler, type DecodedTicket } from './escpos-decoder.js';
import { parseEscPos, type Op } from './escpos-parser.js';
import { statusBytes } from './escpos-status.js';
import type { PrinterType } from './types.js';

export interface VirtualPrinterOptions {
  /** Only loopback makes sense for a test device. Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Which command set to decode. Default epson. */
  type?: PrinterType;
}

export interface VirtualPrinterEvents extends Record<string, unknown[]> {
  /** A ticket was cut: what it reads. */
  ticket: [DecodedTicket];
}

export class VirtualPrinter extends TypedEmitter<VirtualPrinterEvents> {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private raw: Buffer[] = [];
  private assembler = new TicketAssembler();
  private held: { op: Op; socket: Socket }[] = [];
  private paperOut = false;
  private coverOpen = false;
  private nearEnd = false;
  private linesLeft: number | null = null;
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
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  setPaperOut(on: boolean): void {
    this.paperOut = on;
    this.drain();
  }

  setCoverOpen(on: boolean): void {
    this.coverOpen = on;
    this.drain();
  }

  setNearEnd(on: boolean): void {
    this.nearEnd = on;
  }

  /** The roll runs out after this many more printed lines (null: endless). Models paper-out mid-ticket. */
  setPaperRemaining(lines: number | null): void {
    this.linesLeft = lines;
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
    this.held = [];
  }

  private answers() {
    return statusBytes({ paperOut: this.paperOut, coverOpen: this.coverOpen, nearEnd: this.nearEnd });
  }

  private ready(): boolean {
    return !this.paperOut && !this.coverOpen;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      this.raw.push(chunk);
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      const { ops, consumed } = parseEscPos(pending, this.type);
      pending = pending.subarray(consumed);
      for (const op of ops) this.receive(op, socket);
    });
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));
  }

  private receive(op: Op, socket: Socket): void {
    if (op.op === 'dle-eot') {
      const answers = this.answers();
      const n = op.n as 1 | 2 | 3 | 4;
      if (n >= 1 && n <= 4) socket.write(Buffer.from([answers[n]]));
      return;
    }
    if (op.op === 'clear-buffers') {
      this.held = [];
      return;
    }
    if (this.ready() && this.held.length === 0) this.process(op, socket);
    else this.held.push({ op, socket });
  }

  private drain(): void {
    while (this.ready() && this.held.length > 0) {
      const next = this.held.shift()!;
      this.process(next.op, next.socket);
    }
  }

  private process(op: Op, socket: Socket): void {
    if (op.op === 'gs-r') {
      if (!socket.destroyed) socket.write(Buffer.from([this.answers().gsR1]));
      return;
    }
    if (op.op === 'lf' && this.linesLeft !== null && --this.linesLeft <= 0) {
      this.linesLeft = null;
      this.paperOut = true;
    }
    this.assembler.add(op);
    if (op.op === 'cut') {
      const tickets = this.assembler.result();
      const last = tickets[tickets.length - 1];
      if (last) this.emit('ticket', last);
    }
  }
}
