// `kiosk audit verify`, `kiosk audit tail`, `kiosk audit find`: the audit log from the command line.
import type { Command } from 'commander';
import { advanceAnchor, anchorWitness, disagreement, type HeadWitness } from '../audit/anchor.js';
import { AuditLog } from '../audit/audit-log.js';
import { auditMigrations } from '../audit/schema.js';
import { KioskError } from '../errors.js';
import { Cache } from '../store/cache.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from './context.js';

function withAuditLog<T>(opts: CommonOptions, fn: (log: AuditLog, dataDir: string) => T): T {
  const dataDir = resolveConfig(opts).dataDir;
  const cache = Cache.open(dataDir, [auditMigrations], { mustExist: true });
  try {
    return fn(new AuditLog(cache.db), dataDir);
  } finally {
    cache.close();
  }
}

/** Heads this log is checked against. The hub's copy of the head joins the anchor here once the CLI can ask it. */
function witnesses(dataDir: string): HeadWitness[] {
  return [anchorWitness(dataDir)];
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the append-only audit log');

  withCommonOptions(audit.command('verify'))
    .description('check the hash chain of the whole audit log and that it still holds the head noted outside it; exit 1 where it breaks')
    .action((opts: CommonOptions) => {
      const report = withAuditLog(opts, (log, dataDir) => {
        const result = log.verify();
        if (!result.ok) {
          throw new KioskError(`audit log broken at seq ${result.brokenAt}: ${result.problem} (${result.rows} rows checked)`, 'DATABASE', { ...result });
        }
        const checkedWith = witnesses(dataDir);
        for (const witness of checkedWith) {
          const problem = disagreement(log, result, witness);
          if (problem) throw new KioskError(`audit log does not match: ${problem}`, 'DATABASE', { ...result });
        }
        const noted = advanceAnchor(dataDir, log);
        return { ...result, checkedWith: checkedWith.map((w) => w.name), noted };
      });
      process.stdout.write(`audit log OK: ${report.rows} rows checked; last hash ${report.lastHash}\n`);
      process.stderr.write(`agrees with ${report.checkedWith.join(', ')}${report.noted ? '; the head is noted there now' : ''}\n`);
    });

  withCommonOptions(audit.command('tail'))
    .description('print the last rows of the audit log, NDJSON, oldest first')
    .option('-n, --lines <n>', 'how many rows', '20')
    .action((opts: CommonOptions & { lines: string }) => {
      const n = Number(opts.lines);
      if (!Number.isSafeInteger(n) || n < 0) throw new KioskError(`-n: not a count: ${opts.lines}`, 'USAGE');
      const rows = withAuditLog(opts, (log) => log.tail(n));
      process.stdout.write(rows.map((r) => JSON.stringify(r) + '\n').join(''));
    });

  withCommonOptions(audit.command('find'))
    .description('print the rows that mention a receipt number (rows keep it masked with a tag only this log can compute), NDJSON')
    .requiredOption('--receipt <number>', 'the receipt number, whole')
    .action((opts: CommonOptions & { receipt: string }) => {
      if (!/^[0-9A-Za-z-]{1,64}$/.test(opts.receipt)) throw new KioskError(`--receipt: not a receipt number: ${opts.receipt}`, 'USAGE');
      const rows = withAuditLog(opts, (log) => log.findReceipt(opts.receipt));
      process.stdout.write(rows.map((r) => JSON.stringify(r) + '\n').join(''));
    });
}
