// Ticket printer over real loopback TCP against the virtual ESC/POS printer.
import { afterEach, describe, expect, it } from 'vitest';
import { isKioskError } from '../protocol/errors.js';
import { createPrinter } from '../drivers/printer/ticket-printer.js';
import type { VirtualPrinter } from '../drivers/printer/virtual-printer.js';
import { sampleTicket, startSilentServer, startVirtualPrinter } from './helpers/printer.js';

let vp: VirtualPrinter | undefined;
afterEach(async () => {
  await vp?.stop();
  vp = undefined;
});

describe.each(['epson', 'star'] as const)('ticket printer (%s) on the virtual printer', (type) => {
  it('prints a ticket that reads as the office name in Japanese, the number and the QR payload', async () => {
    const started = await startVirtualPrinter(type);
    vp = started.printer;
    const printer = createPrinter(started.spec, type);
    await printer.print(sampleTicket());
    const tickets = vp.decode();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.lines).toContain('熊本事務所');
    expect(tickets[0]!.large).toEqual(['A-023']);
    expect(tickets[0]!.qrPayloads).toEqual(['T-4301-20240501-0023']);
    expect(tickets[0]!.cuts).toBe(1);
  });
});

describe('printer status (DLE EOT)', () => {
  it('reports ready, paper near end, paper end and cover open', async () => {
    const started = await startVirtualPrinter();
    vp = started.printer;
    const printer = createPrinter(started.spec, 'epson');
    expect(await printer.status()).toEqual({ online: true, paperEnd: false, paperNearEnd: false, coverOpen: false });
    vp.setNearEnd(true);
    expect(await printer.status()).toMatchObject({ online: true, paperNearEnd: true, paperEnd: false });
    vp.setPaperOut(true);
    expect(await printer.status()).toMatchObject({ paperEnd: true, coverOpen: false });
    vp.setPaperOut(false);
    vp.setCoverOpen(true);
    expect(await printer.status()).toMatchObject({ coverOpen: true, paperEnd: false });
  });

  it('refuses to print on paper-out, sends no ticket, and says why', async () => {
    const started = await startVirtualPrinter();
    vp = started.printer;
    vp.setPaperOut(true);
    const printer = createPrinter(started.spec, 'epson');
    const error = await printer.print(sampleTicket()).catch((e: unknown) => e);
    expect(isKioskError(error, 'PRINTER_UNAVAILABLE')).toBe(true);
    expect((error as { context: { status: { paperEnd: boolean } } }).context.status.paperEnd).toBe(true);
    expect((error as Error).message).toMatch(/paper end/);
    vp.setPaperOut(false);
    expect(vp.decode()).toEqual([]);
  });

  it('treats a printer that accepts the connection but never answers as offline', async () => {
    const silent = await startSilentServer();
    try {
      const printer = createPrinter(silent.spec, 'epson', { statusTimeoutMs: 200 });
      expect(await printer.status()).toMatchObject({ online: false, detail: 'no answer to status query' });
      const error = await printer.print(sampleTicket()).catch((e: unknown) => e);
      expect(isKioskError(error, 'PRINTER_UNAVAILABLE')).toBe(true);
    } finally {
      await silent.close();
    }
  });

  it('reports a closed port as offline', async () => {
    const started = await startVirtualPrinter();
    await started.printer.stop();
    const status = await createPrinter(started.spec, 'epson').status();
    expect(status).toMatchObject({ online: false });
    expect(status.detail).toMatch(/cannot connect/);
  });

  it('does not report a ticket done when the paper runs out mid-ticket, and the held ticket is dropped', async () => {
    const started = await startVirtualPrinter();
    vp = started.printer;
    const printer = createPrinter(started.spec, 'epson', { printTimeoutMs: 300 });
    vp.setPaperRemaining(3); // the roll ends three lines into the ticket
    const error = await printer.print(sampleTicket()).catch((e: unknown) => e);
    expect(isKioskError(error, 'PRINTER_UNAVAILABLE')).toBe(true);
    expect((error as { context: { status: { paperEnd: boolean } } }).context.status.paperEnd).toBe(true);
    await new Promise((r) => setTimeout(r, 50)); // the clear-buffers command reaches the printer
    expect(vp.decode()[0]?.cuts ?? 0).toBe(0); // only the first lines came out
    vp.setPaperOut(false); // someone loads paper
    await new Promise((r) => setTimeout(r, 50));
    // Cleared with DLE DC4 8: the held ticket does not come out on top of the queue's retry.
    expect(vp.decode().filter((t) => t.cuts === 1)).toEqual([]);
  });
});

describe('createPrinter (KIOSK_PRINTER)', () => {
  it.each(['lpt1', 'tcp://', 'tcp://host:99999', 'file:relative'])('rejects %s naming the variable', (spec) => {
    expect(() => createPrinter(spec, 'epson')).toThrow(/^KIOSK_PRINTER: /);
  });
  it('accepts none and reports no printer', async () => {
    expect(await createPrinter('none', 'epson').status()).toMatchObject({ online: false, detail: 'no printer configured' });
  });
});
