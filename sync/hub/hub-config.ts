// `kiosk hub` configuration: environment first, command-line options over it, validated once;
// every error names its variable or option (exit 78 through the CLI).
import { z } from 'zod';
import { KioskError } from '../../daemon/errors.js';

const port = z.coerce.number().int().min(0).max(65535);
const host = z.string().regex(/^[^\s/]+$/, 'a host name or IP address');

const schema = z.object({
  /** Address to listen on; 0.0.0.0 serves the LAN. */
  KIOSK_HUB_HOST: host.default('127.0.0.1'),
  KIOSK_HUB_PORT: port.default(8090),
  /** PostgreSQL URL; unset means SQLite in the data directory. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'a postgres:// or postgresql:// URL' }).optional(),
  /** The hub's data directory (SQLite file), like the kiosk's. */
  KIOSK_DATA_DIR: z.string().min(1).optional(),
  STATE_DIRECTORY: z.string().min(1).optional(),
  KIOSK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface HubConfig {
  dataDir: string;
  host: string;
  port: number;
  databaseUrl: string | undefined;
  logLevel: z.infer<typeof schema>['KIOSK_LOG_LEVEL'];
}

export interface HubOverrides {
  data?: string;
  host?: string;
  port?: string;
}

export function loadHubConfig(env: NodeJS.ProcessEnv = process.env, overrides: HubOverrides = {}): HubConfig {
  const present = Object.fromEntries(Object.keys(schema.shape).flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new KioskError(`bad configuration: ${problems.join('; ')}`, 'CONFIG_INVALID', { problems });
  }
  const c = parsed.data;
  const option = <T>(name: string, schemaOf: z.ZodType<T>, value: string | undefined): T | undefined => {
    if (value === undefined) return undefined;
    const r = schemaOf.safeParse(value);
    if (!r.success) throw new KioskError(`bad configuration: --${name}: ${r.error.issues[0]?.message ?? 'invalid'} (got ${JSON.stringify(value)})`, 'CONFIG_INVALID');
    return r.data;
  };
  return {
    dataDir: overrides.data ?? c.KIOSK_DATA_DIR ?? c.STATE_DIRECTORY ?? './var',
    host: option('host', host, overrides.host) ?? c.KIOSK_HUB_HOST,
    port: option('port', port, overrides.port) ?? c.KIOSK_HUB_PORT,
    databaseUrl: c.DATABASE_URL,
    logLevel: c.KIOSK_LOG_LEVEL,
  };
}
