// `kiosk hub …`: the reference sync hub (docs/sync.md) and its administration. `--data DIR` (or
// DATABASE_URL) picks the hub's storage for every subcommand.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { pino } from 'pino';
import { KioskError, isKioskError } from '../errors.js';
import { hashPin } from '../staff/pin.js';
import { readPin } from './staff-commands.js';
import { loadHubConfig, openHubStore, publishFeedFile, publishFeedStream, startHub, type DeviceRow, type HubStore } from '../../sync/hub/index.js';
import type { OpenHubStoreOptions } from '../../sync/hub/open-store.js';

interface HubOptions {
  data?: string;
  host?: string;
  port?: string;
  seed?: string;
}

/** Open the hub's store for one command and close it afterwards. */
async function withHubStore<T>(opts: HubOptions, fn: (store: HubStore) => Promise<T>, extra: OpenHubStoreOptions = {}): Promise<T> {
  const config = loadHubConfig(process.env, { data: opts.data });
  const store = await openHubStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, busyTimeoutMs: 30_000, ...extra });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const globals = (cmd: Command) => cmd.optsWithGlobals<HubOptions>();

export function registerHubCommands(program: Command): void {
  const hub = program
    .command('hub')
    .description('run the reference sync hub (SQLite in --data, or PostgreSQL with DATABASE_URL)')
    .option('--data <dir>', "the hub's data directory (default: $KIOSK_DATA_DIR, $STATE_DIRECTORY or ./var)")
    .option('--host <host>', 'address to listen on (default: $KIOSK_HUB_HOST or 127.0.0.1)')
    .option('--port <n>', 'port to listen on (default: $KIOSK_HUB_PORT or 8090)')
    .option('--seed <file>', 'publish this change-feed file (NDJSON) before serving')
    .action(runHub);

  hub
    .command('publish <file>')
    .description('append change records (NDJSON, - for stdin) to the feed, all or nothing; a running hub serves them at once')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      if (file !== '-' && !existsSync(file)) throw new KioskError(`no such file: ${file}`, 'USAGE');
      const r = await withHubStore(globals(cmd), (store) => (file === '-' ? publishFeedStream(store, process.stdin) : publishFeedFile(store, file)));
      process.stderr.write(`published ${r.records} records: ${r.changed} changed, ${r.unchanged} unchanged; feed head ${r.head}\n`);
    });

  hub
    .command('enroll <deviceId>')
    .description("print a new token for a device (its earlier tokens stop working); only the token's hash is kept")
    .option('--office <code>', 'bind the token to one office: it may only ask and post for that office')
    .action(async (deviceId: string, opts: { office?: string }, cmd: Command) => {
      const token = await withHubStore(globals(cmd), (store) => store.enroll(deviceId, opts.office ?? null));
      process.stdout.write(`${token}\n`);
      process.stderr.write(`enrolled ${deviceId}${opts.office ? ` for office ${opts.office}` : ''}: set KIOSK_UPSTREAM_TOKEN to the token above (it is shown only this once)\n`);
    });

  hub
    .command('revoke <deviceId>')
    .description("revoke a device's tokens")
    .action(async (deviceId: string, _opts: unknown, cmd: Command) => {
      const revoked = await withHubStore(globals(cmd), (store) => store.revoke(deviceId), { mustExist: true });
      if (!revoked) throw new KioskError(`device ${deviceId} has no token to revoke`, 'NOT_FOUND');
      process.stderr.write(`revoked the tokens of ${deviceId}\n`);
    });

  hub
    .command('events')
    .description('print the events the hub received, NDJSON, oldest first, with their status')
    .option('--device <id>', 'only this device')
    .option('--status <status>', 'only applied or conflict')
    .action(async (opts: { device?: string; status?: string }, cmd: Command) => {
      if (opts.status !== undefined && opts.status !== 'applied' && opts.status !== 'conflict') throw new KioskError('--status: applied or conflict', 'USAGE');
      await withHubStore(
        globals(cmd),
        async (store) => {
          for await (const event of store.events({ deviceId: opts.device, status: opts.status as 'applied' | 'conflict' | undefined })) {
            if (!process.stdout.write(`${JSON.stringify(event)}\n`)) await new Promise((r) => process.stdout.once('drain', r));
          }
        },
        { mustExist: true },
      );
    });

  hub
    .command('devices')
    .description('list enrolled devices: tokens, last seen, clock skew, audit head')
    .option('--json', 'one JSON object a line')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const devices = await withHubStore(globals(cmd), (store) => store.devices(), { mustExist: true });
      process.stdout.write(opts.json ? devices.map((d) => JSON.stringify(d) + '\n').join('') : devicesTable(devices));
    });

  registerHubStaffCommands(hub);
}

/**
 * `kiosk hub staff add|pin|disable`: an office's staff accounts, kept at the hub and sent in the
 * office's feed, so the same account and PIN sign in at every station of the office. Only the
 * scrypt hash of the PIN leaves this command.
 */
function registerHubStaffCommands(hub: Command): void {
  const staff = hub.command('staff').description("an office's staff accounts, for every station of the office");
  const publishStaff = async (cmd: Command, id: string, office: string, data: { name: string; pinHash: string; disabled: boolean }) => {
    await withHubStore(globals(cmd), (store) => store.publish([{ seq: 0, entity: 'staff', id, op: 'upsert', data: { office, ...data } }]), { mustExist: true });
  };
  const current = (cmd: Command, id: string) =>
    withHubStore(globals(cmd), async (store) => store.current('staff', id), { mustExist: true }) as Promise<{ office: string; name: string; pinHash: string; disabled: boolean } | null>;

  staff
    .command('add <id>')
    .description('add (or replace) an account; the PIN is read from stdin (twice, unechoed, on a terminal)')
    .requiredOption('--office <code>', 'the office whose stations it signs in at')
    .requiredOption('--name <name>', 'name shown on the counter screen')
    .action(async (id: string, opts: { office: string; name: string }, cmd: Command) => {
      checkStaffId(id);
      const pinHash = await hashPin(await readPin());
      await publishStaff(cmd, id, opts.office, { name: opts.name, pinHash, disabled: false });
      process.stderr.write(`staff ${id} (${opts.name}) signs in at every station of office ${opts.office}\n`);
    });

  staff
    .command('pin <id>')
    .description("set a new PIN (read from stdin); the account's sessions end at every station")
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const account = await current(cmd, id);
      if (!account) throw new KioskError(`no staff account ${id} at this hub`, 'USAGE');
      const pinHash = await hashPin(await readPin());
      await publishStaff(cmd, id, account.office, { ...account, pinHash, disabled: false });
      process.stderr.write(`new PIN for staff ${id}\n`);
    });

  staff
    .command('disable <id>')
    .description('disable an account at every station of its office (its sessions end)')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const account = await current(cmd, id);
      if (!account) throw new KioskError(`no staff account ${id} at this hub`, 'USAGE');
      await publishStaff(cmd, id, account.office, { ...account, disabled: true });
      process.stderr.write(`disabled staff ${id}\n`);
    });
}

function checkStaffId(id: string): void {
  if (!/^[A-Za-z0-9._-]{1,32}$/.test(id)) throw new KioskError('a staff id is 1 to 32 letters, digits, ".", "_" or "-"', 'USAGE');
}

function devicesTable(devices: DeviceRow[]): string {
  if (devices.length === 0) return 'no devices enrolled\n';
  const rows = devices.map((d) => [
    d.deviceId,
    d.office ?? '*',
    d.activeTokens > 0 ? 'active' : 'revoked',
    d.lastSeenAt ?? '-',
    d.skewMs === null ? '-' : `${d.skewMs > 0 ? '+' : ''}${(d.skewMs / 1000).toFixed(1)} s`,
    d.auditHead ? `${d.auditHead.seq} ${d.auditHead.hash.slice(0, 12)}…` : '-',
  ]);
  const all = [['device', 'office', 'token', 'last seen', 'clock skew', 'audit head'], ...rows];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

async function runHub(opts: HubOptions): Promise<void> {
  const config = loadHubConfig(process.env, opts);
  const logger = pino({ level: config.logLevel, base: { service: 'kiosk-hub' }, timestamp: pino.stdTimeFunctions.isoTime });
  if (opts.seed !== undefined && !existsSync(opts.seed)) throw new KioskError(`--seed: no such file: ${opts.seed}`, 'CONFIG_INVALID');
  const store = await openHubStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    // Short: a write waiting on another process's blocks this event loop for as long.
    busyTimeoutMs: 2000,
    onListenError: (err) => logger.warn({ err }, 'hub: LISTEN connection lost; reconnecting'),
  });
  try {
    if (opts.seed !== undefined) {
      const r = await publishFeedFile(store, opts.seed).catch((e: unknown) => {
        throw isKioskError(e, 'FEED_INVALID') ? new KioskError(`--seed ${opts.seed}: ${e.message}`, 'CONFIG_INVALID') : e;
      });
      logger.info({ file: opts.seed, records: r.records, changed: r.changed, head: r.head }, 'hub: seeded');
    }
    const hub = await startHub({ store, host: config.host, port: config.port, logger });
    process.stderr.write(`kiosk: hub listening on ${hub.url} (${store.engine}: ${store.location})\n`);
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    logger.info({ signal }, 'hub: shutting down');
    await hub.stop();
  } finally {
    await store.close();
  }
}
