// `kiosk staff add|list|disable`: staff accounts from the command line (README.md, "Command line").
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { KioskError } from '../errors.js';
import { validatePin } from '../staff/pin.js';
import { staffMigrations } from '../staff/schema.js';
import { StaffStore } from '../staff/staff-store.js';
import { Cache } from '../store/cache.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from './context.js';

async function withStaff<T>(opts: CommonOptions, fn: (store: StaffStore) => Promise<T> | T): Promise<T> {
  const cache = Cache.open(resolveConfig(opts).dataDir, [staffMigrations]);
  try {
    return await fn(new StaffStore(cache.db));
  } finally {
    cache.close();
  }
}

/** Read a line from the terminal without echoing it. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(new KioskError('cancelled', 'USAGE'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    process.stderr.write(prompt);
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** The first line of a piped stdin. */
async function readFirstLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  try {
    for await (const line of lines) return line;
  } finally {
    lines.close();
  }
  throw new KioskError('no PIN on stdin', 'USAGE');
}

/** A PIN from stdin: twice and unechoed on a terminal, the first line of a pipe otherwise. */
export async function readPin(): Promise<string> {
  if (!process.stdin.isTTY) return (await readFirstLine()).trim();
  const first = await readHidden('PIN (6 to 12 digits): ');
  validatePin(first); // say so before asking for it again
  const second = await readHidden('PIN again: ');
  if (first !== second) throw new KioskError('the two PINs differ; nothing was added', 'USAGE');
  return first;
}

export function registerStaffCommands(program: Command): void {
  const staff = program.command('staff').description('staff accounts for the counter');

  withCommonOptions(staff.command('add').argument('<id>', 'staff id (letters, digits, . _ -)'))
    .description('add a staff account; the PIN is read from stdin (twice, unechoed, on a terminal)')
    .requiredOption('--name <name>', 'name shown on the counter screen')
    .action(async (id: string, opts: CommonOptions & { name: string }) => {
      const pin = await readPin();
      const added = await withStaff(opts, (store) => store.add(id, opts.name, pin));
      process.stderr.write(`added staff ${added.id} (${added.name})\n`);
    });

  withCommonOptions(staff.command('list'))
    .description('list staff accounts')
    .option('--json', 'print NDJSON')
    .action(async (opts: CommonOptions & { json?: boolean }) => {
      const list = await withStaff(opts, (store) => store.list());
      if (opts.json) {
        process.stdout.write(list.map((s) => JSON.stringify(s) + '\n').join(''));
        return;
      }
      if (list.length === 0) {
        process.stderr.write('no staff accounts; add one with: kiosk staff add ID --name NAME\n');
        return;
      }
      const width = Math.max(2, ...list.map((s) => s.id.length));
      const lines = list.map((s) => `${s.id.padEnd(width)}  ${s.disabled ? 'disabled' : 'active  '}  ${s.createdAt}  ${s.name}`);
      process.stdout.write(lines.join('\n') + '\n');
    });

  withCommonOptions(staff.command('disable').argument('<id>', 'staff id'))
    .description('disable a staff account and end its sessions')
    .action(async (id: string, opts: CommonOptions) => {
      await withStaff(opts, (store) => store.disable(id));
      process.stderr.write(`disabled staff ${id}\n`);
    });
}
