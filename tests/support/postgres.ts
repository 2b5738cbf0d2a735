// A real PostgreSQL server for tests and benches, started from Debian's `postgresql` package
// (/usr/lib/postgresql/<version>/bin; sync/README.md says why this source). initdb and postgres
// refuse to run as root, so as root the server runs as the `postgres` user (or `nobody`). The
// server runs under a small shell that stops it when our end of its stdin closes, so it never
// outlives the test process, however that ends. Without binaries, start() throws one clear line.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** A URL for a fresh, empty database of its own. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** Off by default: tests need no durability; a bench that measures commits turns it on. */
  fsync?: boolean;
  maxConnections?: number;
}

const USER = 'hub_test';

/** The newest server binaries installed by Debian's postgresql package, or $KIOSK_TEST_PG_BIN. */
export function postgresBinDir(): string {
  const override = process.env['KIOSK_TEST_PG_BIN'];
  const candidates = override
    ? [override]
    : existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql')
          .filter((v) => /^\d+$/.test(v))
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : [];
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
  if (!found) {
    throw new Error(
      `PostgreSQL server binaries not found in ${override ?? '/usr/lib/postgresql/*/bin'}: install Debian's postgresql package (apt-get install postgresql) or set KIOSK_TEST_PG_BIN`,
    );
  }
  return found;
}

/** As root, a user the server may run as: postgres (made by Debian's package) or nobody. */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n');
  for (const name of ['postgres', 'nobody']) {
    const fields = passwd.find((line) => line.startsWith(`${name}:`))?.split(':');
    if (fields) return { uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  throw new Error('running as root, but neither a postgres nor a nobody user exists to run PostgreSQL as');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startPostgres(options: PostgresOptions = {}): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-pg-'));
  const data = join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  chmodSync(dir, 0o700);
  const ids = user ? { uid: user.uid, gid: user.gid } : {};
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', USER, '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C', '--no-sync'], { ...ids, encoding: 'utf8' });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(init.stderr || init.error?.message || '').trim().split('\n').at(-1)}`);
  }
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      const server = await launch(bin, data, dir, port, ids, options);
      return handle(server, dir, port, password);
    } catch (e) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      }
    }
  }
}

function launch(bin: string, data: string, socketDir: string, port: number, ids: object, options: PostgresOptions): Promise<ChildProcess> {
  const args = [
    `-p ${port}`,
    `-k '${socketDir}'`,
    "-c listen_addresses=127.0.0.1",
    `-c fsync=${options.fsync ? 'on' : 'off'}`,
    `-c max_connections=${options.maxConnections ?? 200}`,
  ].join(' ');
  // The shell stops the server (fast shutdown) when its stdin, our pipe, closes.
  const script = `'${join(bin, 'postgres')}' -D '${data}' ${args} & pid=$!; trap 'kill -INT $pid' TERM; read -r _; kill -INT $pid 2>/dev/null; wait $pid`;
  const child = spawn('/bin/sh', ['-c', script], { ...ids, stdio: ['pipe', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => fail(new Error(`PostgreSQL did not start within 30 s: ${log.trim().split('\n').at(-1) ?? ''}`)), 30_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.stdin?.end();
      reject(e);
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('ready to accept connections')) {
        clearTimeout(timer);
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume(); // keep draining: a full pipe would stall the server
        resolve(child);
      }
    });
    child.once('exit', (code) => fail(new Error(`PostgreSQL exited with status ${code}: ${log.trim().split('\n').at(-1) ?? ''}`)));
  });
}

function handle(server: ChildProcess, dir: string, port: number, password: string): TestPostgres {
  let n = 0;
  const url = (db: string) => `postgresql://${USER}:${password}@127.0.0.1:${port}/${db}`;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  return {
    async createDatabase() {
      const name = `hub_${process.pid}_${++n}`;
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    async stop() {
      server.stdin?.end();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
