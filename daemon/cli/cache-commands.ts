// `kiosk import`, `kiosk verify`, `kiosk status`: the cache from the command line.
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { KioskState, UpstreamState } from '../../protocol/events.js';
import { CLOCK_SKEW_WARN_SECONDS } from '../../protocol/events.js';
import type { Config } from '../config.js';
import { DAEMON_MIGRATIONS } from '../controller.js';
import { dataAge, verify } from '../core/verify.js';
import { OfficeClock } from '../counter/office-clock.js';
import { PrintJobStore } from '../printing/job-store.js';
import { TicketStore } from '../counter/tickets.js';
import { Outbox } from '../outbox/outbox.js';
import type { Cache } from '../store/cache.js';
import { liveDaemonPid } from '../store/daemon-lock.js';
import { importFeed, importFeedFile } from '../store/feed-import.js';
import { parseNow, resolveConfig, withCache, withCommonOptions, type CommonOptions } from './context.js';

export function registerCacheCommands(program: Command): void {
  withCommonOptions(program.command('import').argument('<file>', 'NDJSON change feed, or - for stdin'))
    .description('apply a change-feed file to the local cache (all or nothing)')
    .option('--now <iso>', 'when the import happens, for a file without asOf (default: the system clock)')
    .action(async (file: string, opts: CommonOptions) => {
      const config = resolveConfig(opts);
      const options = { now: parseNow(opts.now), live: liveDaemonPid(config.dataDir) !== null };
      const result = await withCache(
        config,
        (cache) => (file === '-' ? importFeed(cache.db, cache.applier, process.stdin, options) : importFeedFile(cache.db, cache.applier, file, options)),
        [],
        // An import can be run again (it is idempotent), so its commits need not wait for the disk.
        { synchronous: 'normal' },
      );
      process.stderr.write(
        result.asOf === null
          ? 'the file holds no records: nothing changed\n'
          : `imported ${result.records} records${options.live ? ' into the running daemon\'s database' : ''}; cursor ${result.cursor}; data as of ${result.asOf}\n`,
      );
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
      }, [], { readonly: true }); // verify changes nothing, and never creates a database
    });

  withCommonOptions(program.command('status'))
    .description('cache age and counts, outbox depth, tickets and print jobs, and the running daemon\'s devices and upstream')
    .option('--json', 'print JSON')
    .action(async (opts: CommonOptions & { json?: boolean }) => {
      const config = resolveConfig(opts);
      const local = await withCache(config, (cache) => localStatus(cache, config), DAEMON_MIGRATIONS, { mustExist: true });
      const daemon = await runningDaemon(config.host, config.port);
      const status = { ...local, daemon };
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
        `outbox     ${status.outboxDepth} to send, ${status.conflicts} unresolved conflicts`,
        `tickets    ${status.ticketsWaiting} waiting today; ${status.printJobsPending} print jobs pending`,
        ...(daemon ? [`upstream   ${describeUpstream(daemon.upstream)}`] : []),
        daemon
          ? `daemon     ${daemon.url}: printer ${daemon.printer.configured ? (daemon.printer.online ? (daemon.printer.paperEnd ? 'PAPER OUT' : daemon.printer.coverOpen ? 'COVER OPEN' : 'ready') : 'OFFLINE') : 'none'}; scanners ${daemon.devices.map((d) => `${d.id} ${d.state}`).join(', ') || 'none'}`
          : `daemon     not answering at ${config.host}:${config.port}`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}

function localStatus(cache: Cache, config: Config) {
  const now = new Date();
  const age = dataAge(cache.view.asOf(), now, config.maxCacheAgeSeconds);
  return {
    dataDir: config.dataDir,
    office: config.office,
    mode: config.mode,
    asOf: age.asOf,
    cacheAgeSeconds: age.ageSeconds,
    stale: age.stale,
    cursor: cache.applier.cursor(),
    counts: cache.counts(),
    outboxDepth: new Outbox(cache.db).depth(),
    conflicts: new Outbox(cache.db).conflicts().length,
    ticketsWaiting: new TicketStore(cache.db, new OfficeClock(config.timeZone)).waiting(config.office, now),
    printJobsPending: new PrintJobStore(cache.db).pending(),
  };
}

/** The daemon's own view (devices, printer, upstream), when one is running on this configuration. */
async function runningDaemon(host: string, port: number): Promise<(KioskState & { url: string }) | null> {
  // A wildcard listen address is reached on loopback (a name KIOSK_ALLOWED_HOSTS lets in by default).
  const target = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const url = `http://${target.includes(':') ? `[${target}]` : target}:${port}`;
  try {
    const res = await fetch(`${url}/api/state`, { signal: AbortSignal.timeout(1000) });
    return res.ok ? { ...((await res.json()) as KioskState), url } : null;
  } catch {
    return null;
  }
}

function describeUpstream(u: UpstreamState): string {
  const parts = [u.since ? `${u.state} since ${u.since}` : u.state];
  if (u.lastSyncAt) parts.push(`last answer ${u.lastSyncAt}`);
  parts.push(`${u.outboxDepth} events to send`);
  if (u.clockSkewSeconds !== null && Math.abs(u.clockSkewSeconds) > CLOCK_SKEW_WARN_SECONDS) parts.push(`CLOCK SKEW ${u.clockSkewSeconds > 0 ? '+' : ''}${u.clockSkewSeconds} s against the hub`);
  if (u.lastError) parts.push(`last error: ${u.lastError}`);
  if (u.detail) parts.push(u.detail);
  return parts.join('; ');
}

function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
