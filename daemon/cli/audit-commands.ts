// `kiosk audit verify`, `kiosk audit tail`: the audit log from the command line.
import type { Command } from 'commander';
import { AuditLog } from '../audit/audit-log.js';
import { auditMigrations } from '../audit/schema.js';
import { KioskError } from '../errors.js';
import { Cache } from '../store/cache.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from './context.js';

function withAuditLog<T>(opts: CommonOptions, fn: (log: AuditLog) => T): T {
  const cache = Cache.open(resolveConfig(opts).dataDir, [auditMigrations], { mustExist: true });
  try {
    return fn(new AuditLog(cache.db));
  } finally {
    cache.close();
  }
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the append-only audit log');

  withCommonOptions(audit.command('verify'))
    .description('check the hash chain of the whole audit log; exit 1 where it breaks')
    .action((opts: CommonOptions) => {
      const result = withAuditLog(opts, (log) => log.verify());
      if (!result.ok) {
        throw new KioskError(`audit log broken at seq ${result.brokenAt}: ${result.problem} (${result.rows} rows checked)`, 'DATABASE', { ...result });
      }
      process.stdout.write(`audit log OK: ${result.rows} rows checked; last hash ${result.lastHash}\n`);
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
}
