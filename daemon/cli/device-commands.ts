// `kiosk ports` and `kiosk print-test`: the hardware from the command line.
import type { Command } from 'commander';
import { KioskError } from '../errors.js';
import { createPrinter, describeStatus, listSerialPorts, type TicketContent } from '../../drivers/index.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from './context.js';

export function registerDeviceCommands(program: Command): void {
  program
    .command('ports')
    .description('list serial ports (path, /dev/serial/by-id link, vendor/product)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const ports = await listSerialPorts();
      if (opts.json) {
        process.stdout.write(JSON.stringify(ports) + '\n');
        return;
      }
      if (ports.length === 0) {
        process.stdout.write('no serial ports found\n');
        return;
      }
      for (const p of ports) {
        const id = p.vendorId ? `${p.vendorId}:${p.productId ?? '????'}` : '-';
        process.stdout.write(`${p.path}\t${p.byId ?? '-'}\t${id}\t${p.manufacturer ?? ''}\n`);
      }
    });

  withCommonOptions(program.command('print-test'))
    .description('print a test ticket on the configured printer ($KIOSK_PRINTER, $KIOSK_PRINTER_TYPE)')
    .option('--printer <spec>', 'tcp://host:9100 or file:/path (default: $KIOSK_PRINTER)')
    .option('--type <type>', 'epson or star (default: $KIOSK_PRINTER_TYPE)')
    .action(async (opts: CommonOptions & { printer?: string; type?: string }) => {
      const config = resolveConfig(opts);
      const spec = opts.printer ?? config.printer;
      const type = opts.type ?? config.printerType;
      if (type !== 'epson' && type !== 'star') throw new KioskError(`--type: epson or star, not ${type}`, 'USAGE');
      if (!spec || spec === 'none') throw new KioskError('no printer configured: set KIOSK_PRINTER or pass --printer', 'USAGE');
      const printer = createPrinter(spec, type);
      const status = await printer.status();
      process.stderr.write(`printer ${printer.target}: ${describeStatus(status)}\n`);
      const ticket: TicketContent = {
        ticketId: `TEST-${config.office}-${Date.now()}`,
        number: 'T-000',
        office: { code: config.office, name: { ja: 'テスト印刷 事務所', en: 'Test print' } },
        issuedAt: new Date(),
        timeZone: config.timeZone,
        itemCount: 0,
        receiverNameMasked: null,
        waiting: 0,
        estimatedWaitMinutes: null,
        lines: ['日本語の表示テスト：軽自動車検査協会', 'ASCII: 0123456789 @:[]_"'],
      };
      await printer.print(ticket);
      process.stdout.write(`printed a test ticket on ${printer.target}\n`);
    });
}
