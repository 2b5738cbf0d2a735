// openHubStore(): PostgreSQL when a database URL is given (DATABASE_URL), else SQLite in the hub's
// data directory.
import { KioskError } from '../../daemon/errors.js';
import { PgHubStore, type PgStoreOptions } from './pg-store.js';
import { SqliteHubStore, type SqliteStoreOptions } from './sqlite-store.js';
import type { HubStore } from './types.js';

export interface OpenHubStoreOptions extends SqliteStoreOptions, PgStoreOptions {
  dataDir?: string;
  databaseUrl?: string;
}

export async function openHubStore(options: OpenHubStoreOptions): Promise<HubStore> {
  if (options.databaseUrl) return PgHubStore.open(options.databaseUrl, options);
  if (!options.dataDir) throw new KioskError('the hub needs a data directory (--data) or DATABASE_URL', 'CONFIG_INVALID');
  return SqliteHubStore.open(options.dataDir, options);
}
