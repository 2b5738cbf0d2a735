// `kiosk import`: a whole NDJSON change-feed file in one transaction. The first bad line stops
// the import with its line number and the cache is left exactly as it was.
//
// Two passes: the first validates every line without touching the database; the second applies
// them in one synchronous transaction. The write lock is never held across I/O waits, so a slow
// stdin or a bad line cannot stall a running daemon, and the lock lasts only as long as the apply.
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KioskError } from '../errors.js';
import type { Db } from './db.js';
import type { FeedApplier } from './feed-applier.js';
import { checkRecord, type ChangeRecord } from '../../protocol/feed-records.js';

/** A feed line longer than this is refused rather than parsed (a record is a few hundred bytes). */
export const MAX_FEED_LINE_BYTES = 1 << 20;

export interface ImportResult {
  records: number;
  cursor: number;
  asOf: string;
}

/** Import from a stream (stdin): spooled to a temporary file first, so it can be read twice. */
export async function importFeed(db: Db, applier: FeedApplier, input: Readable, now = new Date()): Promise<ImportResult> {
  return withSpooledFile(input, (spool) => importFeedFile(db, applier, spool, now));
}

/** Copy a stream to a temporary file (0600 in a fresh 0700 directory), hand over its path, then remove it. */
export async function withSpooledFile<T>(input: Readable, fn: (path: string) => T | Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-import-'));
  try {
    const spool = join(dir, 'feed.ndjson');
    await pipeline(input, createWriteStream(spool, { mode: 0o600 }));
    return await fn(spool);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function importFeedFile(db: Db, applier: FeedApplier, path: string, now = new Date()): ImportResult {
  // Pass 1: every line must be a valid record before anything is written.
  let records = 0;
  for (const { line, lineNumber } of feedLines(path)) {
    const fail = (why: string) => new KioskError(`line ${lineNumber}: ${why}`, 'FEED_INVALID', { line: lineNumber });
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw fail('not valid JSON');
    }
    const checked = checkRecord(json);
    if (!checked.ok) throw fail(checked.error);
    records++;
  }

  // Pass 2: the lines were checked above, so they are applied as they are.
  let maxSeq = 0;
  let asOf: string | undefined;
  db.transaction(() => {
    for (const { line } of feedLines(path)) {
      const record = JSON.parse(line) as ChangeRecord;
      asOf = applier.apply(record) ?? asOf;
      maxSeq = Math.max(maxSeq, record.seq);
    }
    applier.finishBatch(maxSeq, asOf, now);
  })();
  applier.onCommitted();
  return { records, cursor: applier.cursor(), asOf: new Date(asOf ?? now).toISOString() };
}

/** Non-blank lines of a UTF-8 file with their 1-based line numbers, never holding more than one line. */
export function* feedLines(path: string): Generator<{ line: string; lineNumber: number }> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry: Buffer = Buffer.alloc(0);
    let lineNumber = 0;
    const decode = (bytes: Buffer) => {
      lineNumber++;
      if (bytes.length > MAX_FEED_LINE_BYTES) {
        throw new KioskError(`line ${lineNumber}: longer than ${MAX_FEED_LINE_BYTES} bytes`, 'FEED_INVALID', { line: lineNumber });
      }
      const line = bytes.toString('utf8');
      return line.trim() === '' ? null : { line, lineNumber };
    };
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      let data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(0x0a, start); nl !== -1; nl = data.indexOf(0x0a, start)) {
        const line = decode(data.subarray(start, nl));
        start = nl + 1;
        if (line) yield line;
      }
      data = data.subarray(start);
      if (data.length > MAX_FEED_LINE_BYTES) {
        throw new KioskError(`line ${lineNumber + 1}: longer than ${MAX_FEED_LINE_BYTES} bytes`, 'FEED_INVALID', { line: lineNumber + 1 });
      }
      carry = Buffer.from(data); // copy: `chunk` is reused by the next read
    }
    const last = carry.length ? decode(carry) : null;
    if (last) yield last;
  } finally {
    closeSync(fd);
  }
}
