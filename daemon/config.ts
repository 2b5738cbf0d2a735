// Configuration from the environment (docs/configuration.md), validated once at start. Every key has a doc
// line, a default and its variable; every error names its variable.
import { hostname } from 'node:os';
import { z } from 'zod';
import { DEFAULT_MAX_CACHE_AGE_SECONDS } from './core/verify.js';
import { DEFAULT_TIME_ZONE } from './counter/office-clock.js';
import { KioskError } from './errors.js';

/** The demo office: the Kumamoto office of the public fixtures, so demo data and fixtures agree. */
export const DEMO_OFFICE = '4301';

const officeCode = z.string().regex(/^[0-9A-Za-z-]{1,16}$/, 'an office code: 1–16 letters, digits or -');
const port = z.coerce.number().int().min(0).max(65535);
const allowedHostList = z
  .string()
  .transform((list, ctx) => {
    const names = list.split(',').map((h) => normaliseHostName(h.trim()));
    if (names.some((h) => h === null)) ctx.addIssue({ code: 'custom', message: 'comma-separated host names or IP addresses, without scheme, port or wildcard' });
    return names.filter((h): h is string => h !== null);
  });

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
  /** The office time zone (IANA name): opening hours, the ticket day, times on screen and paper. */
  KIOSK_TIMEZONE: z.string().refine(isTimeZone, 'an IANA time zone name such as Asia/Tokyo').default(DEFAULT_TIME_ZONE),
  /** The office's own closed days, office time: "2026-12-28". National holidays and 29 Dec – 3 Jan need no listing when KIOSK_HOURS is set. */
  KIOSK_HOLIDAYS: z.string().optional(),
  /** Ticket number prefix; give each kiosk of one office its own so numbers stay office-unique. */
  KIOSK_TICKET_PREFIX: z.string().regex(/^[A-Z]{1,2}$/, 'one or two capital letters').default('A'),
  /** Waiting tickets at which the kiosk sends people to the counter instead of issuing more (Art. 19). */
  KIOSK_MAX_WAITING: z.coerce.number().int().positive().default(60),
  /** Host names HTTP and Socket.IO accept in Host and Origin (DNS rebinding). Unset: the loopback names and KIOSK_HOST. */
  KIOSK_ALLOWED_HOSTS: allowedHostList.optional(),
  /** The counter names counter stations choose from: "1,2,3" (a scan or a typo cannot become a counter). */
  KIOSK_COUNTERS: z
    .string()
    .transform((v) => v.split(',').map((c) => c.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[0-9A-Za-z一-龯ぁ-んァ-ヶー]{1,8}$/, 'counter names of 1–8 letters or digits')).min(1).max(32))
    .default(['1', '2', '3', '4', '5', '6']),
  /** Calls without a handover after which a ticket is set aside as a no-show when it would be called again or its counter calls the next. */
  KIOSK_NO_SHOW_AFTER_CALLS: z.coerce.number().int().min(1).max(10).default(3),
  /** How a call display announces calls: "chime,voice" (default), "chime", "voice" or "off". */
  KIOSK_DISPLAY_SOUND: z.enum(['chime,voice', 'voice,chime', 'chime', 'voice', 'off']).default('chime,voice'),
  /** The office queue (docs/office.md): `local` (this station's own), `found` (start the office log here, once), or the URL of a station of the office to join. */
  KIOSK_QUEUE: z.union([z.enum(['local', 'found']), z.url({ protocol: /^https?$/, error: 'local, found, or the http(s) URL of a station of the office' })]).default('local'),
  /** Where the office's other stations reach this one. Unset: http://KIOSK_HOST:<port>. */
  KIOSK_QUEUE_URL: z.url({ protocol: /^https?$/, error: 'the http(s) URL the other stations reach this one at' }).optional(),
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
  timeZone: string;
  ticketPrefix: string;
  counters: string[];
  noShowAfterCalls: number;
  displaySound: { chime: boolean; voice: boolean };
  maxWaiting: number;
  logLevel: RawConfig['KIOSK_LOG_LEVEL'];
  /** Lower-case host names (IPv6 in brackets) accepted in Host and Origin. */
  allowedHosts: string[];
  /** The office queue: this station's own (`local`), or the office log, founded here or joined through a station's URL. */
  queue: { kind: 'local' } | { kind: 'found' } | { kind: 'join'; url: string };
  /** Where the other stations reach this one; undefined: from the listen address. */
  queueUrl: string | undefined;
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
  if (c.KIOSK_UPSTREAM && c.KIOSK_UPSTREAM !== 'none' && !c.KIOSK_UPSTREAM_TOKEN) {
    throw new KioskError('bad configuration: KIOSK_UPSTREAM_TOKEN: required with a hub URL in KIOSK_UPSTREAM (kiosk hub enroll DEVICE_ID prints one)', 'CONFIG_INVALID');
  }
  if (c.KIOSK_QUEUE !== 'local' && !(c.KIOSK_UPSTREAM && c.KIOSK_UPSTREAM !== 'none')) {
    throw new KioskError('bad configuration: KIOSK_QUEUE: an office queue needs a hub (KIOSK_UPSTREAM and KIOSK_UPSTREAM_TOKEN): the stations know one another from it', 'CONFIG_INVALID');
  }
  const wildcard = ['0.0.0.0', '::', '[::]'].includes(c.KIOSK_HOST);
  if (c.KIOSK_QUEUE !== 'local' && wildcard && !c.KIOSK_QUEUE_URL) {
    throw new KioskError(`bad configuration: KIOSK_QUEUE_URL: required when KIOSK_HOST is ${c.KIOSK_HOST}: the address the office's other stations reach this one at`, 'CONFIG_INVALID');
  }
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
    timeZone: c.KIOSK_TIMEZONE,
    ticketPrefix: c.KIOSK_TICKET_PREFIX,
    counters: c.KIOSK_COUNTERS,
    noShowAfterCalls: c.KIOSK_NO_SHOW_AFTER_CALLS,
    displaySound: { chime: c.KIOSK_DISPLAY_SOUND.includes('chime'), voice: c.KIOSK_DISPLAY_SOUND.includes('voice') },
    maxWaiting: c.KIOSK_MAX_WAITING,
    logLevel: c.KIOSK_LOG_LEVEL,
    allowedHosts: c.KIOSK_ALLOWED_HOSTS ?? defaultAllowedHosts(c.KIOSK_HOST),
    queue: c.KIOSK_QUEUE === 'local' ? { kind: 'local' } : c.KIOSK_QUEUE === 'found' ? { kind: 'found' } : { kind: 'join', url: c.KIOSK_QUEUE },
    queueUrl: c.KIOSK_QUEUE_URL,
  };
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** The loopback names, plus the listen address when it is one name or address (not a wildcard). */
function defaultAllowedHosts(listen: string): string[] {
  const own = normaliseHostName(listen);
  const wildcard = own === '0.0.0.0' || own === '[::]';
  return own === null || wildcard || LOOPBACK_NAMES.includes(own) ? [...LOOPBACK_NAMES] : [...LOOPBACK_NAMES, own];
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * A host name or IP address as browsers put it in Host and Origin: lower case, canonical, IPv6 in
 * brackets; null for anything else (a scheme, a port, a wildcard, a path).
 */
export function normaliseHostName(value: string): string | null {
  const v = value.toLowerCase();
  let candidate: string;
  if (v.includes(':')) {
    const inner = v.startsWith('[') && v.endsWith(']') ? v.slice(1, -1) : v;
    if (!/^[0-9a-f:.]+$/.test(inner)) return null;
    candidate = `[${inner}]`;
  } else if (HOST_NAME.test(v)) {
    candidate = v;
  } else {
    return null;
  }
  try {
    return new URL(`http://${candidate}/`).hostname; // canonical: [fd00:0::5] → [fd00::5], 127.1 → 127.0.0.1
  } catch {
    return null;
  }
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
