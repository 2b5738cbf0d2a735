// `kiosk import`, `kiosk verify`, `kiosk status`: the cache from the command line.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { verify } from '../core/verify.js';
import { importFeed } from '../store/feed-import.js';
import { parseNow, resolveConfig, withCache, withCommonOptions, type CommonOptions } from './context.js';

export function registerCacheCommands(program: Command): void {
  withCommonOptions(program.command('import').argument('<file>', 'NDJSON change feed, or - for stdin'))
    .description('apply a change-feed file to the local cache (all or nothing)')
    .option('--now <iso>', 'when the import happens, for a file without asOf (default: the system clock)')
    .action(async (file: string, opts: CommonOptions) => {
      const config = resolveConfig(opts);
      const input: Readable = file === '-' ? process.stdin : createReadStream(file);
      const result = await withCache(config, (cache) => importFeed(cache.db, cache.applier, input, parseNow(opts.now)));
      process.stderr.write(`imported ${result.records} records; cursor ${result.cursor}; data as of ${result.asOf}\n`);
    });

  withCommonOptions(program.command('verify').argument('[text]', 'scanned text; without it, one scan per stdin line'), { device: true })
    .description('print the verdict for a scan as one JSON line; changes nothing')
    .action(async (text: string | undefined, opts: CommonOptions) => {
      const config = resolveConfig(opts);
      const fixedNow = opts.now === undefined ? undefined : parseNow(opts.now);
      await withCache(config, async (cache) => {
        const judge = (scan: string) =>
          JSON.stringify(
            verify(scan, { office: config.office, mode: config.mode, now: fixedNow ?? new Date(), maxCacheAgeSeconds: config.maxCacheAgeSeconds, data: cache.view }),
          ) + '\n';
        if (text !== undefined) {
          process.stdout.write(judge(text));
          return;
        }
        for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
          if (!process.stdout.write(judge(line))) await new Promise((r) => process.stdout.once('drain', r));
        }
      });
    });

  withCommonOptions(program.command('status'))
    .description('cache age and counts')
    .option('--json', 'print JSON')
    .action(async (opts: CommonOptions & { json?: boolean }) => {
      const config = resolveConfig(opts);
      const status = await withCache(config, (cache) => {
        const asOf = cache.view.asOf();
        return {
          dataDir: config.dataDir,
          office: config.office,
          mode: config.mode,
          asOf: asOf?.toISOString() ?? null,
          cacheAgeSeconds: asOf ? Math.floor((Date.now() - asOf.getTime()) / 1000) : null,
          stale: !asOf || Date.now() - asOf.getTime() > config.maxCacheAgeSeconds * 1000,
          cursor: cache.applier.cursor(),
          counts: cache.counts(),
        };
      });
      if (opts.json) {
        process.stdout.write(JSON.stringify(status) + '\n');
        return;
      }
      const lines = [
        `data       ${status.dataDir}`,
        `office     ${status.office} (${status.mode})`,
        `cache      ${status.asOf ? `as of ${status.asOf}, ${formatAge(status.cacheAgeSeconds ?? 0)} old${status.stale ? ' — STALE' : ''}` : 'empty: nothing imported yet'}`,
        `feed       cursor ${status.cursor}`,
        `records    ${Object.entries(status.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}

function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
