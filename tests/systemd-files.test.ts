// The operator files in systemd/: unit properties the daemon relies on, udev rule syntax and
// semantics, and the kiosk session script run against a stub browser and a real /healthz.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemdNotifier } from '../daemon/systemd/notify.js';

const root = resolve(import.meta.dirname, '..');
const dir = join(root, 'systemd');
const read = (name: string) => readFileSync(join(dir, name), 'utf8');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
/** Fails, never skips, when a tool is missing: npm test's pretest (scripts/system-packages.mjs) installs them. */
function requireTool(cmd: string, debianPackage: string): void {
  expect(has(cmd), `${cmd} is missing: apt-get install -y ${debianPackage} (npm test's pretest does it)`).toBe(true);
}

// ---------------------------------------------------------------- unit files

type Unit = Map<string, Array<[string, string]>>;

/** systemd.syntax(7): [Section] headers, Key=Value, # and ; comments, backslash continuations. */
function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: Array<[string, string]> | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${(lines[++i] ?? '').trim()}`;
    const header = /^\[([A-Za-z][\w-]*)\]$/.exec(line);
    if (header) {
      const name = header[1] ?? '';
      if (unit.has(name)) throw new Error(`line ${i + 1}: section [${name}] repeated`);
      section = [];
      unit.set(name, section);
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*)$/.exec(line);
    if (!kv) throw new Error(`line ${i + 1}: not Key=Value: ${line}`);
    if (!section) throw new Error(`line ${i + 1}: ${kv[1]} outside any section`);
    section.push([kv[1] ?? '', kv[2] ?? '']);
  }
  return unit;
}

const all = (u: Unit, section: string, key: string) => (u.get(section) ?? []).filter(([k]) => k === key).map(([, v]) => v);
function one(u: Unit, section: string, key: string): string {
  const values = all(u, section, key);
  if (values.length !== 1) throw new Error(`[${section}] ${key}: expected exactly one value, got ${JSON.stringify(values)}`);
  return values[0] ?? '';
}
const words = (u: Unit, section: string, key: string) => all(u, section, key).flatMap((v) => v.split(/\s+/).filter(Boolean));

/** Seconds from a systemd time span: "30", "30s", "1min 30s", "2m". */
function seconds(span: string): number {
  const units: Record<string, number> = { '': 1, s: 1, sec: 1, m: 60, min: 60, h: 3600, ms: 0.001 };
  let total = 0;
  for (const part of span.trim().split(/\s+/)) {
    const m = /^(\d+)([a-z]*)$/.exec(part);
    const factor = m ? units[m[2] ?? ''] : undefined;
    if (!m || factor === undefined) throw new Error(`bad time span ${span}`);
    total += Number(m[1]) * factor;
  }
  return total;
}

/** /opt/kiosk/X in a unit must be X in this repository. */
function expectInstalledPathsExist(u: Unit): void {
  for (const [, entries] of u) {
    for (const [, value] of entries) {
      for (const m of value.matchAll(/\/opt\/kiosk\/([\w./-]+)/g)) expect(existsSync(join(root, m[1] ?? '')), `/opt/kiosk/${m[1]}`).toBe(true);
    }
  }
}

describe('unit file parser', () => {
  it('rejects what systemd would not read as intended', () => {
    expect(() => parseUnit('[Service]\nType notify\n')).toThrow(/line 2/);
    expect(() => parseUnit('Type=notify\n')).toThrow(/outside/);
    expect(() => parseUnit('[Service]\n[Service]\n')).toThrow(/repeated/);
    expect(seconds('1min 30s')).toBe(90);
    expect(() => seconds('30 seconds')).toThrow();
  });
});

describe('kiosk.service', () => {
  const u = parseUnit(read('kiosk.service'));

  it('is a notify service with a watchdog, restarted on failure', () => {
    expect(one(u, 'Service', 'Type')).toBe('notify');
    expect(one(u, 'Service', 'NotifyAccess')).toBe('main');
    expect(seconds(one(u, 'Service', 'WatchdogSec'))).toBe(30);
    expect(one(u, 'Service', 'Restart')).toBe('on-failure');
    expect(one(u, 'Service', 'RestartPreventExitStatus')).toBe('78');
  });

  it('makes the daemon ping at half the watchdog timeout', () => {
    const usec = seconds(one(u, 'Service', 'WatchdogSec')) * 1_000_000;
    const n = SystemdNotifier.fromEnv({ NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: String(usec) });
    expect(n?.watchdogIntervalMs()).toBe(usec / 2000);
  });

  it('runs bin/kiosk.js daemon as kiosk with its state in StateDirectory', () => {
    expect(one(u, 'Service', 'ExecStart')).toBe('/usr/bin/node --max-old-space-size=128 --max-semi-space-size=4 /opt/kiosk/bin/kiosk.js daemon');
    expect(one(u, 'Service', 'StateDirectory')).toBe('kiosk');
    expect(all(u, 'Service', 'Environment').some((e) => e.includes('KIOSK_DATA_DIR'))).toBe(false); // $STATE_DIRECTORY is the default
    expect(one(u, 'Service', 'EnvironmentFile')).toBe('-/etc/kiosk/kiosk.env');
    expect(one(u, 'Service', 'User')).toBe('kiosk');
    expect(words(u, 'Service', 'SupplementaryGroups').sort()).toEqual(['dialout', 'input', 'lp']);
    expectInstalledPathsExist(u);
  });

  it('stops gracefully: SIGTERM to the daemon, a bounded wait', () => {
    expect(one(u, 'Service', 'KillSignal')).toBe('SIGTERM');
    expect(one(u, 'Service', 'KillMode')).toBe('mixed');
    const stop = seconds(one(u, 'Service', 'TimeoutStopSec'));
    expect(stop).toBeGreaterThanOrEqual(10);
    expect(stop).toBeLessThanOrEqual(60);
  });

  it('is hardened without breaking node or the devices', () => {
    expect(one(u, 'Service', 'ProtectSystem')).toBe('strict');
    for (const key of ['ProtectHome', 'PrivateTmp', 'NoNewPrivileges']) expect(one(u, 'Service', key), key).toBe('yes');
    expect(words(u, 'Service', 'RestrictAddressFamilies').sort()).toEqual(['AF_INET', 'AF_INET6', 'AF_UNIX']);
    expect(one(u, 'Service', 'DevicePolicy')).toBe('closed');
    expect(all(u, 'Service', 'DeviceAllow')).toEqual(
      expect.arrayContaining(['char-ttyACM rw', 'char-ttyUSB rw', 'char-input r', 'char-usb rw']),
    );
    // Each of these would break the daemon: V8's JIT, device nodes, supplementary groups.
    expect(all(u, 'Service', 'MemoryDenyWriteExecute')).toEqual([]);
    expect(all(u, 'Service', 'PrivateDevices')).toEqual([]);
    expect(all(u, 'Service', 'PrivateUsers')).toEqual([]);
  });

  it('loads the tty modules before DeviceAllow is resolved', () => {
    for (const key of ['Wants', 'After']) {
      expect(words(u, 'Unit', key), key).toEqual(expect.arrayContaining(['modprobe@cdc_acm.service', 'modprobe@usbserial.service']));
    }
    expect(all(u, 'Service', 'StartLimitBurst')).toEqual([]); // belongs in [Unit]
    expect(one(u, 'Unit', 'StartLimitBurst')).toMatch(/^\d+$/);
    expect(one(u, 'Install', 'WantedBy')).toBe('multi-user.target');
  });
});

describe('kiosk-hub.service and kiosk-browser.service', () => {
  it('runs the hub with a defined port and its own state', () => {
    const u = parseUnit(read('kiosk-hub.service'));
    expect(one(u, 'Service', 'ExecStart')).toMatch(/^\/usr\/bin\/node \/opt\/kiosk\/bin\/kiosk\.js hub --port \$\{KIOSK_HUB_PORT\} --data \/var\/lib\/kiosk-hub$/);
    expect(all(u, 'Service', 'Environment')).toContain('KIOSK_HUB_PORT=8090');
    expect(one(u, 'Service', 'StateDirectory')).toBe('kiosk-hub');
    expectInstalledPathsExist(u);
  });

  it('runs the session script in cage on tty1, as a user other than the daemon', () => {
    const u = parseUnit(read('kiosk-browser.service'));
    expect(one(u, 'Service', 'ExecStart')).toMatch(/^\/usr\/bin\/cage (-\w+ )*-- \/opt\/kiosk\/systemd\/kiosk-session\.sh$/);
    expect(one(u, 'Service', 'ExecStart')).not.toMatch(/ -s /); // no VT switching
    expect(one(u, 'Service', 'User')).toBe('kiosk-browser');
    expect(one(u, 'Service', 'Restart')).toBe('always');
    expect(one(u, 'Service', 'TTYPath')).toBe('/dev/tty1');
    expect(words(u, 'Unit', 'After')).toContain('kiosk.service');
    expect(words(u, 'Unit', 'Conflicts')).toContain('getty@tty1.service');
    expect(existsSync(join(dir, `${one(u, 'Service', 'PAMName')}.pam`))).toBe(true);
    expect(all(u, 'Service', 'EnvironmentFile')).not.toContain('-/etc/kiosk/kiosk.env'); // no upstream token for the browser
    expectInstalledPathsExist(u);
  });

  it('passes systemd-analyze verify without a warning', () => {
    requireTool('systemd-analyze', 'systemd');
    const tmp = mkdtempSync(join(tmpdir(), 'kiosk-units-'));
    try {
      for (const name of ['kiosk.service', 'kiosk-hub.service', 'kiosk-browser.service']) {
        // verify insists that ExecStart's binary exists; stand in for node or cage where absent.
        const text = read(name).replace(/^ExecStart=(\S+)/m, (line, bin: string) => (existsSync(bin) ? line : `ExecStart=${process.execPath}`));
        writeFileSync(join(tmp, name), text);
        const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(tmp, name)], { encoding: 'utf8' });
        expect(`${r.stdout}${r.stderr}`.trim(), name).toBe('');
        expect(r.status, name).toBe(0);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------- udev rules

const MATCH_ONLY = new Set(['ACTION', 'DEVPATH', 'KERNEL', 'KERNELS', 'SUBSYSTEM', 'SUBSYSTEMS', 'DRIVER', 'DRIVERS', 'ATTRS', 'TAGS', 'TEST', 'PROGRAM', 'RESULT', 'CONST']);
const ASSIGN_ONLY = new Set(['OWNER', 'GROUP', 'MODE', 'RUN', 'LABEL', 'GOTO', 'IMPORT', 'OPTIONS', 'SECLABEL', 'WAIT_FOR']);
const EITHER = new Set(['ENV', 'ATTR', 'SYSCTL', 'TAG', 'SYMLINK', 'NAME']);
const NEEDS_ATTR = new Set(['ATTR', 'ATTRS', 'ENV', 'SYSCTL', 'CONST', 'IMPORT', 'SECLABEL']);

interface Token {
  key: string;
  attr: string | undefined;
  op: string;
  value: string;
}

/** udev(7) rule lines: comma-separated KEY[{attr}] OP "value"; # comments; \ continuations. */
function parseRules(text: string): Token[][] {
  const rules: Token[][] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)}${(lines[++i] ?? '').trim()}`;
    const tokens: Token[] = [];
    const re = /\s*([A-Z_]+)(?:\{([^}]+)\})?\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*(,|$)/y;
    let end = false;
    while (!end) {
      const at = re.lastIndex;
      const m = re.exec(line);
      if (!m) throw new Error(`line ${i + 1}: cannot parse at column ${at + 1}: ${line.slice(at, at + 40)}`);
      const [, key = '', attr, op = '', value = '', sep] = m;
      const isMatch = op === '==' || op === '!=';
      if (!MATCH_ONLY.has(key) && !ASSIGN_ONLY.has(key) && !EITHER.has(key)) throw new Error(`line ${i + 1}: unknown key ${key}`);
      if (MATCH_ONLY.has(key) && !isMatch) throw new Error(`line ${i + 1}: ${key} can only be matched (==, !=), not assigned with ${op}`);
      if (ASSIGN_ONLY.has(key) && isMatch) throw new Error(`line ${i + 1}: ${key} can only be assigned, not matched`);
      if (NEEDS_ATTR.has(key) && attr === undefined) throw new Error(`line ${i + 1}: ${key} needs {attribute}`);
      tokens.push({ key, attr, op, value });
      end = sep === '' || re.lastIndex >= line.length;
    }
    rules.push(tokens);
  }
  return rules;
}

const find = (rule: Token[], key: string, attr?: string) => rule.filter((t) => t.key === key && (attr === undefined || t.attr === attr));
const matchValue = (rule: Token[], key: string, attr?: string) => find(rule, key, attr).find((t) => t.op === '==')?.value;
const assigns = (rule: Token[], key: string, attr?: string) => find(rule, key, attr).filter((t) => !['==', '!='].includes(t.op)).map((t) => `${t.op}${t.value}`);

describe('udev rule parser', () => {
  it('rejects the classic mistakes', () => {
    expect(() => parseRules('ACTION="add", SUBSYSTEM=="tty", GROUP="dialout"')).toThrow(/ACTION can only be matched/);
    expect(() => parseRules('ACTION=="add", SUBSYSTEM=="tty" GROUP="dialout"')).toThrow(/cannot parse/);
    expect(() => parseRules('ACTION=="add", SUBSYSTEM=="tty", GROUP=="dialout"')).toThrow(/only be assigned/);
    expect(() => parseRules('ACTION=="add", SUBSYSTEM=="tty", GROUP=dialout')).toThrow(/cannot parse/);
    expect(() => parseRules('ACTION=="add", SUBSYSTEM=="tty", ENV="1"')).toThrow(/needs \{attribute\}/);
    expect(() => parseRules('ACTION=="add", SUBSYSTEM=="tty", SYMLNK+="x"')).toThrow(/unknown key/);
    expect(parseRules('ACTION=="add", \\\n  SUBSYSTEM=="tty", GROUP="dialout"')).toHaveLength(1);
  });
});

describe('99-kiosk-scanners.rules', () => {
  const rules = parseRules(read('99-kiosk-scanners.rules'));
  const bySubsystem = (s: string) => rules.filter((r) => matchValue(r, 'SUBSYSTEM') === s);
  const vendors = (rs: Token[][]) => rs.map((r) => matchValue(r, 'ATTRS', 'idVendor')).sort();

  it('has ACTION and SUBSYSTEM matches and an assignment on every rule', () => {
    expect(rules.length).toBeGreaterThanOrEqual(8);
    for (const rule of rules) {
      const where = JSON.stringify(rule.map((t) => t.key));
      expect(matchValue(rule, 'ACTION'), where).toBe('add|change'); // a "change" event would drop add-only properties
      expect(matchValue(rule, 'SUBSYSTEM'), where).toBeTruthy();
      expect(rule.some((t) => !['==', '!='].includes(t.op)), where).toBe(true);
      for (const t of rule) {
        if (t.key === 'ATTRS' && t.attr?.startsWith('id')) expect(t.value, 'sysfs ids are lowercase hex').toMatch(/^[0-9a-f]{4}$/);
        if (t.key === 'MODE') expect(t.value).toMatch(/^0[0-7]{3}$/);
        expect(t.value.replace(/%[nkKpbMmcsNPDE%]/g, ''), 'format specifiers').not.toMatch(/%/);
      }
    }
  });

  it('names CDC-ACM scanners kiosk-scanner-N for dialout and keeps ModemManager away', () => {
    const tty = bySubsystem('tty');
    expect(vendors(tty)).toEqual(['05e0', '05f9', '0c2e']);
    for (const r of tty) {
      expect(matchValue(r, 'KERNEL')).toBe('ttyACM[0-9]*');
      expect(assigns(r, 'SYMLINK')).toEqual(['+=kiosk-scanner-%n']);
      expect(assigns(r, 'GROUP')).toEqual(['=dialout']);
      expect(assigns(r, 'ENV', 'ID_MM_DEVICE_IGNORE')).toEqual(['=1']);
    }
  });

  it('hides keyboard-wedge scanners from libinput but leaves them readable by group input', () => {
    const input = bySubsystem('input');
    expect(vendors(input)).toEqual(['05e0', '05f9', '0c2e']);
    for (const r of input) {
      expect(matchValue(r, 'KERNEL')).toBe('event[0-9]*');
      expect(matchValue(r, 'ENV', 'ID_INPUT_KEYBOARD')).toBe('1');
      expect(assigns(r, 'ENV', 'LIBINPUT_IGNORE_DEVICE')).toEqual(['=1']);
      expect(assigns(r, 'GROUP')).toEqual(['=input']);
    }
  });

  it('gives Epson and Star USB printers /dev/kiosk-printer-N in group lp', () => {
    const lp = bySubsystem('usbmisc');
    expect(vendors(lp)).toEqual(['04b8', '0519']);
    for (const r of lp) {
      expect(matchValue(r, 'KERNEL')).toBe('lp[0-9]*');
      expect(assigns(r, 'SYMLINK')).toEqual(['+=kiosk-printer-%n']);
      expect(assigns(r, 'GROUP')).toEqual(['=lp']);
    }
  });
});

// ---------------------------------------------------------------- kiosk-session.sh

describe('kiosk-session.sh', () => {
  const script = join(dir, 'kiosk-session.sh');
  let tmp: string;
  let server: Server;
  let base: string;
  let healthCalls = 0;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'kiosk-session-'));
    // The stub browser records its arguments; the first run "crashes", later runs stay up.
    const stub = join(tmp, 'browser');
    writeFileSync(
      stub,
      `#!/bin/sh\nn=$(cat "${tmp}/count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "${tmp}/count"\nprintf '%s\\n' "$@" > "${tmp}/args.$n"\n[ $n -eq 1 ] && exit 3\nexec sleep 30\n`,
    );
    chmodSync(stub, 0o755);
    server = createServer((req, res) => {
      if (req.url !== '/healthz') return void res.writeHead(404).end();
      healthCalls++;
      res.writeHead(healthCalls === 1 ? 503 : 200).end('ok'); // not ready on the first try
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(tmp, { recursive: true, force: true });
  });

  function run(env: Record<string, string>) {
    return spawn('sh', [script], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: tmp, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  async function exited(child: ReturnType<typeof run>, ms: number): Promise<{ code: number | null; stderr: string }> {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolveExit, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`did not exit within ${ms} ms; stderr: ${stderr}`));
      }, ms);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolveExit({ code, stderr });
      });
    });
  }

  it('passes shellcheck and sh -n', () => {
    expect(spawnSync('sh', ['-n', script]).status).toBe(0);
    requireTool('shellcheck', 'shellcheck');
    const r = spawnSync('shellcheck', ['-s', 'sh', script], { encoding: 'utf8' });
    expect(r.stdout, 'shellcheck').toBe('');
    expect(r.status).toBe(0);
  });

  it('waits for /healthz, starts the browser with the kiosk flags, restarts it, stops on SIGTERM', async () => {
    requireTool('curl', 'curl');
    const profile = join(tmp, 'profile');
    mkdirSync(join(profile, 'Default'), { recursive: true });
    writeFileSync(join(profile, 'Default', 'Preferences'), '{"profile":{"exit_type":"Crashed","exited_cleanly":false}}');
    const child = run({ KIOSK_URL: `${base}/`, KIOSK_SCREEN: 'counter', KIOSK_PROFILE_DIR: profile, KIOSK_BROWSER: join(tmp, 'browser') });
    const done = exited(child, 15_000);
    const until = Date.now() + 12_000;
    while (!existsSync(join(tmp, 'args.2')) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    const { code, stderr } = await done;
    expect(code, stderr).toBe(0);
    expect(healthCalls).toBeGreaterThanOrEqual(3); // 503, 200, then 200 again before the restart
    const args = readFileSync(join(tmp, 'args.2'), 'utf8').trim().split('\n');
    expect(args).toEqual(
      expect.arrayContaining([
        '--kiosk',
        '--noerrdialogs',
        '--disable-translate',
        '--no-first-run',
        '--disable-features=TranslateUI',
        '--overscroll-history-navigation=0',
        '--disable-pinch',
        '--check-for-update-interval=31536000',
        '--autoplay-policy=no-user-gesture-required',
        `--user-data-dir=${profile}`,
      ]),
    );
    expect(args).not.toContain('--no-sandbox');
    expect(args.at(-1)).toBe(`${base}/counter`);
    expect(stderr).toMatch(/exited with status 3/);
    expect(JSON.parse(readFileSync(join(profile, 'Default', 'Preferences'), 'utf8'))).toEqual({ profile: { exit_type: 'Normal', exited_cleanly: true } });
  });

  it('gives up with status 1 when /healthz never answers', async () => {
    requireTool('curl', 'curl');
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r)); // nothing listens there now
    const { code, stderr } = await exited(run({ KIOSK_URL: `http://127.0.0.1:${port}`, KIOSK_WAIT_SECS: '1', KIOSK_BROWSER: join(tmp, 'browser'), KIOSK_PROFILE_DIR: join(tmp, 'p2') }), 10_000);
    expect(code).toBe(1);
    expect(stderr).toMatch(/healthz did not answer within 1s/);
  });

  it('refuses an unknown screen', async () => {
    const { code, stderr } = await exited(run({ KIOSK_SCREEN: 'admin' }), 5_000);
    expect(code).toBe(2);
    expect(stderr).toMatch(/KIOSK_SCREEN/);
  });
});
