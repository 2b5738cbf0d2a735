// `kiosk audit verify`, `kiosk audit tail`, `kiosk audit find`: the audit log from the command line.
import type { Command } from 'commander';
import { advanceAnchor, anchorWitness, disagreement, type HeadWitness } from '../audit/anchor.js';
import { AuditLog } from '../audit/audit-log.js';
import { auditMigrations } from '../audit/schema.js';
import { KioskError } from '../errors.js';
import { HubHttp } from '../../sync/client/hub-http.js';
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

/**
 * Heads this log is checked against: the anchor file beside it, and the hub's copy (sent with every
 * batch of events), which survives the data directory being replaced whole. A hub that cannot be
 * asked is said so, and the check goes on with the anchor.
 */
async function witnesses(opts: CommonOptions): Promise<{ witnesses: HeadWitness[]; warnings: string[] }> {
  const config = resolveConfig(opts);
  const found: HeadWitness[] = [anchorWitness(config.dataDir)];
  const warnings: string[] = [];
  if (config.upstream && config.upstream !== 'none') {
    try {
      const head = await new HubHttp({ baseUrl: config.upstream, token: config.upstreamToken }).getAuditHead();
      found.push({ name: `the hub at ${config.upstream}`, head: () => head });
    } catch (e) {
      warnings.push(`the hub could not be asked for its copy of the head (${(e as Error).message}): checked against the anchor only`);
    }
  }
  return { witnesses: found, warnings };
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the append-only audit log');

  withCommonOptions(audit.command('verify'))
    .description('check the hash chain of the whole audit log and that it still holds the head noted outside it; exit 1 where it breaks')
    .action(async (opts: CommonOptions) => {
      const { witnesses: checkedWith, warnings } = await witnesses(opts);
      for (const warning of warnings) process.stderr.write(`${warning}\n`);
      const report = withAuditLog(opts, (log, dataDir) => {
        const result = log.verify();
        if (!result.ok) {
          throw new KioskError(`audit log broken at seq ${result.brokenAt}: ${result.problem} (${result.rows} rows checked)`, 'DATABASE', { ...result });
        }
        for (const witness of checkedWith) {
          const problem = disagreement(log, result.rows, witness);
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
