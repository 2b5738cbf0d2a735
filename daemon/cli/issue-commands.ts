// `kiosk issue APP|AUTH|REG|PWD …`: mint a KQ1 code with the hub's signing key, standing in for
// the portal. Prints the code text; `--png FILE` also writes it as a QR code.
import type { Command } from 'commander';
import QRCode from 'qrcode';
import { KioskError } from '../errors.js';
import { loadHubConfig, openHubStore } from '../../sync/hub/index.js';
import { mintInput, type MintInput } from '../../sync/hub/codes.js';

interface IssueOptions {
  data?: string;
  receipt?: string;
  office?: string;
  proc?: string;
  receiver?: string;
  name?: string;
  batchUser?: string;
  pwv?: string;
  exp?: string;
  jti?: string;
  png?: string;
}

/** Each input field's option, for messages that name what to type. */
const OPTION_OF: Record<string, string> = { receipt: '--receipt', office: '--office', proc: '--proc', receiver: '--receiver', name: '--name', batchUser: '--batch-user', pwv: '--pwv' };

export function registerIssueCommands(program: Command): void {
  program
    .command('issue <type>')
    .description('mint a KQ1 code from the hub\'s key: APP (--receipt --office --proc), AUTH (--receiver --proc --pwv), REG (--receiver --name --batch-user), PWD (--receiver --name --pwv)')
    .option('--data <dir>', "the hub's data directory (or DATABASE_URL)")
    .option('--receipt <number>', 'APP: receipt number')
    .option('--office <code>', 'APP: the office the applicant designated')
    .option('--proc <code>', 'APP, AUTH: procedure type')
    .option('--receiver <id>', 'AUTH, REG, PWD: receiver id')
    .option('--name <name>', 'REG, PWD: receiver name')
    .option('--batch-user <id>', 'REG: batch user id')
    .option('--pwv <n>', 'AUTH: password version the code is printed under; PWD: the new version')
    .option('--exp <iso>', 'expiry time, ISO-8601 (default: none)')
    .option('--jti <id>', 'serial of this printout (default: a random UUID)')
    .option('--png <file>', 'also write the code as a PNG QR code')
    .action(async (type: string, opts: IssueOptions) => {
      const input = issueInput(type, opts);
      const config = loadHubConfig(process.env, { data: opts.data });
      const store = await openHubStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, mustExist: true });
      let text: string;
      try {
        text = await store.mint(input);
      } finally {
        await store.close();
      }
      if (opts.png) await QRCode.toFile(opts.png, text, { errorCorrectionLevel: 'M', margin: 2, width: 320 });
      process.stdout.write(`${text}\n`);
    });
}

function issueInput(type: string, opts: IssueOptions): MintInput {
  const typ = type.toUpperCase();
  const variant = mintInput.options.find((o) => o.shape.typ.value === typ);
  if (!variant) throw new KioskError(`issue: the type is APP, AUTH, REG or PWD, not ${type}`, 'USAGE');
  const given: Record<string, unknown> = { ...opts };
  const missing = Object.entries(variant.shape)
    .filter(([field, schema]) => field in OPTION_OF && !schema.safeParse(undefined).success && given[field] === undefined)
    .map(([field]) => OPTION_OF[field]);
  if (missing.length > 0) throw new KioskError(`issue ${typ} needs ${missing.join(', ')}`, 'USAGE');
  const time = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const date = new Date(value);
    if (!/^\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(date.getTime())) throw new KioskError(`--${name}: not an ISO-8601 time: ${value}`, 'USAGE');
    return date;
  };
  const pwv = opts.pwv === undefined ? undefined : Number(opts.pwv);
  if (pwv !== undefined && !(Number.isInteger(pwv) && pwv >= 0)) throw new KioskError(`--pwv: a whole number ≥ 0, not ${opts.pwv}`, 'USAGE');
  return { ...opts, typ, pwv, exp: time('exp', opts.exp), jti: opts.jti } as MintInput;
}
