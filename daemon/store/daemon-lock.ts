// One daemon per data directory. The running daemon keeps its pid in `daemon.pid`; a second daemon
// on the same directory is refused, and `kiosk import` uses it to know that scans are being served
// from this database (and so applies in short steps instead of one long transaction).
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { KioskError } from '../errors.js';

export const PID_FILE = 'daemon.pid';

/** The pid of a live kiosk daemon on this data directory, or null. A pid left by a killed daemon (or reused by another program) does not count. */
export function liveDaemonPid(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, PID_FILE), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  try {
    // After a crash the pid may belong to something else now: only a kiosk process counts.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kiosk') ? pid : null;
  } catch {
    return pid; // no /proc: trust kill(0)
  }
}

export interface DaemonLock {
  release(): void;
}

/** Claim the data directory for this process; throws CONFLICT when another daemon holds it. */
export function acquireDaemonLock(dataDir: string): DaemonLock {
  const file = join(dataDir, PID_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600); // exclusive: two daemons starting together cannot both win
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return { release: () => releaseIfOurs(file) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new KioskError(`cannot write ${file}: ${(e as Error).message}`, 'DATABASE');
      const other = liveDaemonPid(dataDir);
      if (other !== null) throw new KioskError(`another kiosk daemon (pid ${other}) is already running on ${dataDir}`, 'CONFLICT', { pid: other });
      rmSync(file, { force: true }); // left behind by a daemon that was killed
    }
  }
  throw new KioskError(`cannot claim ${file}`, 'CONFLICT');
}

function releaseIfOurs(file: string): void {
  try {
    if (Number(readFileSync(file, 'utf8').trim()) === process.pid) rmSync(file, { force: true });
  } catch {
    /* already gone */
  }
}
