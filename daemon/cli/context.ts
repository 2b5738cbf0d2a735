// What every CLI command shares: the configuration with command-line overrides, and the cache.
import { Command, Option } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { KioskError } from '../errors.js';
import { refuseDemoData } from '../demo/demo-guard.js';
import { Cache } from '../store/cache.js';
import type { MigrationSet, OpenOptions } from '../store/db.js';

export interface CommonOptions {
  data?: string;
  office?: string;
  mode?: 'kiosk' | 'counter';
  now?: string;
}

/** Add the options every command takes. */
export function withCommonOptions(cmd: Command, { device = false } = {}): Command {
  cmd.option('--data <dir>', 'data directory (default: $KIOSK_DATA_DIR, $STATE_DIRECTORY or ./var)');
  if (device) {
    cmd
      .option('--office <code>', "this device's office code (default: $KIOSK_OFFICE)")
      .addOption(new Option('--mode <mode>', 'kiosk (self-service) or counter (staff)').choices(['kiosk', 'counter']))
      .option('--now <iso>', 'the clock to judge by, ISO-8601 (default: the system clock)');
  }
  return cmd;
}

export function resolveConfig(opts: CommonOptions): Config {
  const config = loadConfig();
  return {
    ...config,
    dataDir: opts.data ?? config.dataDir,
    office: opts.office ?? config.office,
    mode: opts.mode ?? config.mode,
  };
}

export function parseNow(now: string | undefined): Date {
  if (now === undefined) return new Date();
  const date = new Date(now);
  if (Number.isNaN(date.getTime())) throw new KioskError(`--now: not an ISO-8601 time: ${now}`, 'USAGE');
  return date;
}

/** Open the data directory's cache for a command; a real configuration (KIOSK_UPSTREAM set) is refused the demo's data. */
export async function withCache<T>(config: Config, fn: (cache: Cache) => Promise<T> | T, migrations: readonly MigrationSet[] = [], options: OpenOptions = {}): Promise<T> {
  const cache = Cache.open(config.dataDir, migrations, options);
  try {
    if (config.upstream !== undefined) refuseDemoData(config.dataDir, cache);
    return await fn(cache);
  } finally {
    cache.close();
  }
}
