#!/usr/bin/env node
// The `kiosk` command line (README.md, "Command line"). Errors go to stderr with a non-zero exit; a verdict,
// whatever its outcome, exits 0.
import { Command } from 'commander';
import { isKioskError } from '../errors.js';
import { registerAuditCommands } from './audit-commands.js';
import { registerCacheCommands } from './cache-commands.js';
import { registerDaemonCommands } from './daemon-commands.js';
import { registerDeviceCommands } from './device-commands.js';
import { registerHubCommands } from './hub-commands.js';
import { registerIssueCommands } from './issue-commands.js';
import { registerStaffCommands } from './staff-commands.js';

// Everything the kiosk writes (database, keys, pid file, spooled imports) is for its own user only.
process.umask(0o077);

const program = new Command('kiosk').description('pickup kiosk for a kei-car inspection office').showHelpAfterError();
registerCacheCommands(program);
registerDaemonCommands(program);
registerStaffCommands(program);
registerAuditCommands(program);
registerDeviceCommands(program);
registerHubCommands(program);
registerIssueCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const message = isKioskError(e) ? e.message : (e as Error).stack ?? String(e);
  process.stderr.write(`kiosk: ${message}\n`);
  // 78 = EX_CONFIG: systemd's RestartPreventExitStatus=78 then stops restarting a misconfigured daemon.
  process.exitCode = isKioskError(e, 'USAGE') ? 2 : isKioskError(e, 'CONFIG_INVALID') ? 78 : 1;
}
