// Configuration from the environment (contract.md), validated once at start. Every key has a doc
// line, a default and its variable; every error names its variable.
import { hostname } from 'node:os';
import { z } from 'zod';
import { DEFAULT_MAX_CACHE_AGE_SECONDS } from './core/verify.js';
import { KioskError } from './errors.js';

/** The demo office: the Kumamoto office of the public fixtures, so demo data and fixtures agree. */
export const DEMO_OFFICE = '4301';

const officeCode = z.string().regex(/^[0-9A-Za-z-]{1,16}$/, 'an office code: 1–16 letters, digits or -');
const port = z.coerce.number().int().min(0).max(65535);

const schema = z.object({
  /** SQLite cache, outbox and audit log. */
  KIOSK_DATA_DIR: z.string().min(1).optional(),
  /** This device's office code. */
  KIOSK_OFFICE: officeCode.default(DEMO_OFFICE),
  /** `kiosk` (self-service) or `counter` (staff). */
  KIOSK_MODE: z.enum(['kiosk', 'counter']).default('kiosk'),
  /** Unique per device. */
  KIOSK_DEVICE_ID: z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits, . _ - (at most 64)').optional(),
  /** HTTP and Socket.IO listen address. */
  KIOSK_HOST: z.string().min(1).default('127.0.0.1'),
  KIOSK_PORT: port.default(8080),
  /** Comma list: serial:/dev/ttyACM0?baud=9600, hid:/dev/input/by-id/…-event-kbd, none. Unset: demo (UI input only). */
  KIOSK_SCANNERS: z.string().optional(),
  /** tcp://host:9100, file:/path, none. Unset: demo (virtual printer with a preview in the UI). */
  KIOSK_PRINTER: z.string().optional(),
  KIOSK_PRINTER_TYPE: z.enum(['epson', 'star']).default('epson'),
  /** Print confirmation: `always` (only the printer's own counts), `never` (sent + ready after = printed), `auto` (learn which the printer is). */
  KIOSK_PRINTER_CONFIRM: z.enum(['auto', 'always', 'never']).default('auto'),
  /** Sync hub URL, or `none` for standalone. Unset: demo (built-in hub). */
  KIOSK_UPSTREAM: z.union([z.literal('none'), z.url({ protocol: /^https?$/, error: 'an http(s) URL or none' })]).optional(),
  KIOSK_UPSTREAM_TOKEN: z.string().optional(),
  /** Seconds before verdicts become `refer CACHE_STALE`. */
  KIOSK_MAX_CACHE_AGE: z.coerce.number().int().positive().default(DEFAULT_MAX_CACHE_AGE_SECONDS),
  /** Opening hours, office time: "Mon-Fri 08:45-12:00,13:00-16:00; Sat 09:00-12:00". Unset: always open. */
  KIOSK_HOURS: z.string().optional(),
  /** Closed days, office time: "2026-12-29,2026-12-30". */
  KIOSK_HOLIDAYS: z.string().optional(),
  /** Ticket number prefix; give each kiosk of one office its own so numbers stay office-unique. */
  KIOSK_TICKET_PREFIX: z.string().regex(/^[A-Z]{1,2}$/, 'one or two capital letters').default('A'),
  /** Waiting tickets at which the kiosk sends people to the counter instead of issuing more (Art. 19). */
  KIOSK_MAX_WAITING: z.coerce.number().int().positive().default(60),
  /** pino level: fatal, error, warn, info, debug, trace, silent. */
  KIOSK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RawConfig = z.infer<typeof schema>;

export interface Config {
  dataDir: string;
  office: string;
  mode: 'kiosk' | 'counter';
  deviceId: string;
  host: string;
  port: number;
  scanners: string | undefined;
  printer: string | undefined;
  printerType: 'epson' | 'star';
  printerConfirm: 'auto' | 'always' | 'never';
  upstream: string | undefined;
  upstreamToken: string | undefined;
  maxCacheAgeSeconds: number;
  hours: string | undefined;
  holidays: string | undefined;
  ticketPrefix: string;
  maxWaiting: number;
  logLevel: RawConfig['KIOSK_LOG_LEVEL'];
}

/** Parse the environment; throws CONFIG_INVALID naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('KIOSK_') && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message} (got ${JSON.stringify(present[String(i.path[0])])})`);
    throw new KioskError(`bad configuration: ${problems.join('; ')}`, 'CONFIG_INVALID', { problems });
  }
  const c = parsed.data;
  return {
    dataDir: c.KIOSK_DATA_DIR ?? env['STATE_DIRECTORY'] ?? './var',
    office: c.KIOSK_OFFICE,
    mode: c.KIOSK_MODE,
    deviceId: c.KIOSK_DEVICE_ID ?? hostname(),
    host: c.KIOSK_HOST,
    port: c.KIOSK_PORT,
    scanners: c.KIOSK_SCANNERS,
    printer: c.KIOSK_PRINTER,
    printerType: c.KIOSK_PRINTER_TYPE,
    printerConfirm: c.KIOSK_PRINTER_CONFIRM,
    upstream: c.KIOSK_UPSTREAM,
    upstreamToken: c.KIOSK_UPSTREAM_TOKEN,
    maxCacheAgeSeconds: c.KIOSK_MAX_CACHE_AGE,
    hours: c.KIOSK_HOURS,
    holidays: c.KIOSK_HOLIDAYS,
    ticketPrefix: c.KIOSK_TICKET_PREFIX,
    maxWaiting: c.KIOSK_MAX_WAITING,
    logLevel: c.KIOSK_LOG_LEVEL,
  };
}
