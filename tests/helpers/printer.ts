// Printer test helpers: a virtual printer on loopback, a TCP server that accepts and never answers
// (an offline printer), sample ticket content, and what to look for on the paper.
import { createServer, type Server, type Socket } from 'node:net';
import type { TicketContent } from '../../drivers/printer/types.js';
import { VirtualPrinter } from '../../drivers/printer/virtual-printer.js';

export async function startVirtualPrinter(type: 'epson' | 'star' = 'epson', atPort = 0): Promise<{ printer: VirtualPrinter; spec: string }> {
  const printer = new VirtualPrinter({ host: '127.0.0.1', port: atPort, type });
  const { port } = await printer.start();
  return { printer, spec: `tcp://127.0.0.1:${port}` };
}

export async function startSilentServer(atPort = 0): Promise<{ spec: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.resume();
  });
  await new Promise<void>((r) => server.listen(atPort, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    spec: `tcp://127.0.0.1:${port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

export const sampleTicket = (over: Partial<TicketContent> = {}): TicketContent => ({
  ticketId: 'T-4301-20240501-0023',
  number: 'A-023',
  office: { code: '4301', name: { ja: '熊本事務所', en: 'Kumamoto Office' } },
  issuedAt: new Date('2024-05-01T01:23:00Z'),
  timeZone: 'Asia/Tokyo',
  itemCount: 3,
  receiverNameMasked: 'ヤマダ＊＊',
  waiting: 4,
  estimatedWaitMinutes: 12,
  ...over,
});

export const REPRINT = '再発行 / REPRINT';

/** How many reprint marks a printed ticket carries. */
export const marks = (t: { lines: string[] }) => t.lines.filter((l) => l === REPRINT).length;

/** Tickets that came out whole (cut), by their big number. */
export const cutNumbers = (vp: VirtualPrinter) => vp.decode().filter((t) => t.cuts === 1).map((t) => t.large[0]);

