// Ticket printer over real loopback TCP against the virtual ESC/POS printer.
import { afterEach, describe, expect, it } from 'vitest';
import { isKioskError } from '../protocol/errors.js';
import { createPrinter } from '../drivers/printer/ticket-printer.js';
import type { VirtualPrinter } from '../drivers/printer/virtual-printer.js';
import { renderTicket } from '../drivers/printer/ticket-layout.js';
import { cutNumbers, marks, sampleTicket, startSilentServer, startVirtualPrinter } from './helpers/printer.js';
import { waitFor } from './helpers/socat.js';

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
    expect(await printer.print(sampleTicket())).toMatchObject({ confirmedBy: 'printer', status: { online: true } });
    const tickets = vp.decode();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.lines).toContain('熊本事務所');
    expect(tickets[0]!.large).toEqual(['A-023']);
    expect(tickets[0]!.qrPayloads).toEqual(['T-4301-20240501-0023']);
    expect(tickets[0]!.cuts).toBe(1);
    expect(marks(tickets[0]!)).toBe(0);
  });

  it('prints a reprint with one 再発行 line at the top', async () => {
    const started = await startVirtualPrinter(type);
    vp = started.printer;
    await createPrinter(started.spec, type).print(sampleTicket({ reprint: true }));
    const [ticket] = vp.decode();
    expect([ticket!.lines[0], marks(ticket!)]).toEqual(['再発行 / REPRINT', 1]);
  });

  it('confirms only once the ticket is printed, not when the bytes arrived (slow printer)', async () => {
    const started = await startVirtualPrinter(type);
    vp = started.printer;
    vp.setLineDelay(40); // ~20 lines: the ticket takes most of a second
    const result = await createPrinter(started.spec, type).print(sampleTicket());
    expect(result.confirmedBy).toBe('printer');
    expect(cutNumbers(vp)).toEqual(['A-023']); // already on paper when print() resolved
  });

  it('a printer that prints but never confirms: printed, confirmedBy status, sent once', async () => {
    const started = await startVirtualPrinter(type);
    vp = started.printer;
    vp.setConfirmation('ignore');
    const result = await createPrinter(started.spec, type, { printTimeoutMs: 400 }).print(sampleTicket());
    expect(result).toMatchObject({ confirmedBy: 'status', status: { online: true, paperEnd: false } });
    expect(cutNumbers(vp)).toEqual(['A-023']);
  });

  it('a printer that prints and hangs up instead of confirming: status on a new connection, sent once', async () => {
    const started = await startVirtualPrinter(type);
    vp = started.printer;
    vp.setConfirmation('hang-up');
    const result = await createPrinter(started.spec, type, { printTimeoutMs: 2000 }).print(sampleTicket());
    expect(result).toMatchObject({ confirmedBy: 'status', status: { online: true } });
    expect(cutNumbers(vp)).toEqual(['A-023']);
  });

  it('a connection dropped mid-ticket is a failure that says the ticket was sent', async () => {
    const started = await startVirtualPrinter(type);
    vp = started.printer;
    const ticketBytes = renderTicket(sampleTicket(), type).length;
    vp.setDropAfterBytes(Math.floor(ticketBytes / 3)); // the status query, then a third of the ticket
    const error = await createPrinter(started.spec, type, { printTimeoutMs: 1000, statusTimeoutMs: 300 }).print(sampleTicket()).catch((e: unknown) => e);
    expect(isKioskError(error, 'PRINTER_UNAVAILABLE')).toBe(true);
    expect((error as { context: { sent: boolean } }).context.sent).toBe(true);
    expect(vp.decode().filter((t) => t.cuts === 1)).toEqual([]); // a partial ticket, not cut
    expect(vp.decode().length).toBe(1);
  });
});

describe('STAR line mode status (ASB, ETB)', () => {
  it('reports ready, near end, paper end and cover open from ASB frames, and never sends DLE EOT', async () => {
    const started = await startVirtualPrinter('star');
    vp = started.printer;
    const printer = createPrinter(started.spec, 'star');
    expect(await printer.status()).toEqual({ online: true, paperEnd: false, paperNearEnd: false, coverOpen: false });
    vp.setNearEnd(true);
    expect(await printer.status()).toMatchObject({ online: true, paperNearEnd: true, paperEnd: false });
    vp.setPaperOut(true);
    expect(await printer.status()).toMatchObject({ online: true, paperEnd: true, coverOpen: false });
    vp.setPaperOut(false);
    vp.setCoverOpen(true);
    expect(await printer.status()).toMatchObject({ online: true, coverOpen: true, paperEnd: false });
    expect(vp.received().includes(Buffer.from([0x10, 0x04]))).toBe(false);
  });

  it('paper running out mid-ticket is not taken as printed, although status answers came while printing', async () => {
    const started = await startVirtualPrinter('star');
    vp = started.printer;
    vp.setLineDelay(30); // the printer answers status long before it reaches the end of the ticket
    vp.setPaperRemaining(6);
    const error = await createPrinter(started.spec, 'star').print(sampleTicket()).catch((e: unknown) => e);
    expect(isKioskError(error, 'PRINTER_UNAVAILABLE')).toBe(true);
    expect((error as { context: { sent: boolean; status: { paperEnd: boolean } } }).context).toMatchObject({ sent: true, status: { paperEnd: true } });
    expect(cutNumbers(vp)).toEqual([]);
    await waitFor(() => vp!.held() === 0, 2000, 'the held rest dropped (CAN)');
    vp.setPaperOut(false); // paper loaded: the cancelled rest of the ticket does not come out
    await new Promise((r) => setTimeout(r, 100));
    expect(cutNumbers(vp)).toEqual([]);
  });

  it('with automatic status back on, the ETB frame confirms without asking again', async () => {
    const started = await startVirtualPrinter('star');
    vp = started.printer;
    vp.setAsb(true);
    expect(await createPrinter(started.spec, 'star').print(sampleTicket())).toMatchObject({ confirmedBy: 'printer' });
    const requests = vp.received().toString('latin1').split('\x1b\x06\x01').length - 1;
    expect(requests).toBe(1); // the status before sending; the confirmation came by itself
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
