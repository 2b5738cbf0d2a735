// A real tty pair from socat, for serial tests: the driver opens `a`, the test writes into `b`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TtyPair {
  a: string;
  b: string;
  /** Write raw bytes into end b (arrives at end a). */
  write(bytes: Uint8Array | string): Promise<void>;
  /** Kill socat (an "unplug"); the links disappear. */
  kill(): Promise<void>;
  /** Like kill, but socat goes first, while writes may still be arriving (a cable pulled mid-line). */
  unplug(): Promise<void>;
  /** Start a new socat under the same paths (a "replug"). */
  recreate(): Promise<void>;
  /** Kill socat and remove the temp dir. */
  cleanup(): Promise<void>;
}

export function makeTempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function createTtyPair(): Promise<TtyPair> {
  const tmp = makeTempDir('kiosk-tty-');
  const a = join(tmp.dir, 'scanner');
  const b = join(tmp.dir, 'feeder');
  let proc: ChildProcess | undefined;
  let writer: FileHandle | undefined;

  const startSocat = async () => {
    proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
    await waitFor(() => existsSync(a) && existsSync(b), 5000, 'socat links');
    // Keep end b open: a pty whose every fd closed would hang up end a.
    writer = await open(b, 'r+');
  };
  const closeWriter = async () => {
    const w = writer;
    writer = undefined;
    await w?.close().catch(() => {});
  };
  const stopSocat = async (writerFirst = true) => {
    if (writerFirst) await closeWriter();
    const p = proc;
    proc = undefined;
    if (p && p.exitCode === null) {
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await exited;
    }
    await closeWriter();
    await waitFor(() => !existsSync(a), 2000, 'socat links removed');
  };

  await startSocat();
  return {
    a,
    b,
    async write(bytes) {
      if (!writer) throw new Error('tty pair is down');
      await writer.write(typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    },
    kill: () => stopSocat(true),
    unplug: () => stopSocat(false),
    recreate: startSocat,
    async cleanup() {
      await stopSocat(true);
      tmp.remove();
    },
  };
}

export { waitFor };
