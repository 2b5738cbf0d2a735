#!/usr/bin/env node
// npm's pretest: checks for the system commands the tests need (scripts/system-packages.txt) and
// installs the missing ones' Debian packages when it can (root with apt-get: `apt-get update`,
// then `apt-get install -y`). Otherwise it prints the one command to run and exits 1.
// With everything present it only looks at PATH: no apt call, a few milliseconds.
// Plain JavaScript with no dependencies, so it runs before anything is built.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const LIST = new URL('system-packages.txt', import.meta.url);

/** @returns {{ command: string, pkg: string, why: string }[]} */
function readList() {
  return readFileSync(LIST, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((line) => {
      const [command = '', pkg = '', ...why] = line.split(/\s+/);
      return { command, pkg, why: why.join(' ') };
    });
}

/** @param {string} path */
function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute paths matching a pattern whose segments may hold `*`. @param {string} pattern */
function expand(pattern) {
  let paths = ['/'];
  for (const segment of pattern.split('/').filter(Boolean)) {
    if (!segment.includes('*')) {
      paths = paths.map((p) => join(p, segment));
      continue;
    }
    const re = new RegExp(`^${segment.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    paths = paths.flatMap((p) => {
      try {
        return readdirSync(p).filter((name) => re.test(name)).map((name) => join(p, name));
      } catch {
        return [];
      }
    });
  }
  return paths;
}

/** @param {string} command */
function found(command) {
  if (command.startsWith('/')) return expand(command).some(isExecutable);
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && isExecutable(join(dir, command)));
}

const missing = () => readList().filter((entry) => !found(entry.command));
const packagesOf = (/** @type {{ pkg: string }[]} */ entries) => [...new Set(entries.map((e) => e.pkg))];

let absent = missing();
if (absent.length === 0) process.exit(0);

const describe = (/** @type {{ command: string, pkg: string, why: string }[]} */ entries) =>
  entries.map((e) => `  ${e.command} (Debian package ${e.pkg}): ${e.why}`).join('\n');
console.error(`The tests need system commands that are missing:\n${describe(absent)}`);

const canInstall = process.getuid?.() === 0 && found('apt-get');
if (canInstall) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (/** @type {string[]} */ args) => {
    console.error(`$ apt-get ${args.join(' ')}`);
    return spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env }).status === 0;
  };
  const packages = packagesOf(absent);
  if (apt(['update', '-qq']) && apt(['install', '-y', '-qq', ...packages])) {
    absent = missing();
    if (absent.length === 0) {
      console.error(`installed: ${packages.join(' ')}`);
      process.exit(0);
    }
    console.error(`still missing after apt-get install:\n${describe(absent)}`);
  }
}

const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
console.error(`\nInstall them with:\n\n  ${sudo}apt-get update && ${sudo}apt-get install -y ${packagesOf(absent).join(' ')}\n`);
process.exit(1);
