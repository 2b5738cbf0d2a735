// `kiosk import`: a whole NDJSON change-feed file, all or nothing. The first bad line stops the
// import with its line number and the cache is left exactly as it was; a file with no records
// changes nothing (not even the data's age).
//
// With no daemon on the data directory, the file is read, checked and applied in one pass inside
// one transaction (a bad line rolls it all back). With a daemon serving scans from the same
// database, every line is checked first, and then the validated records are applied in short
// transactions with pauses between them, so a scan never waits more than a few milliseconds for
// the write lock. The cursor and asOf move only with the last step.
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkRecord, type ChangeRecord } from '../../protocol/feed-records.js';
import { ALLOWED_FUTURE_SKEW_SECONDS } from '../core/verify.js';
import { KioskError } from '../errors.js';
import { retryWhileBusy, type Db } from './db.js';
import type { FeedApplier } from './feed-applier.js';

/** A feed line longer than this is refused rather than parsed (a record is a few hundred bytes). */
export const MAX_FEED_LINE_BYTES = 1 << 20;
/** A line with anything but white space on it (cheaper than trim(): it stops at the first character of a record). */
const NOT_BLANK = /\S/;
/** With a live daemon: how long one apply step may hold the write lock, and the pause after it. */
const LIVE_STEP_MS = 4;
const LIVE_PAUSE_MS = 2;

export interface ImportResult {
  records: number;
  cursor: number;
  /** The data's asOf after the import; null when the file held no records and nothing changed. */
  asOf: string | null;
}

export interface ImportOptions {
  /** When the import happens: a file without a meta asOf counts as current then. */
  now?: Date;
  /** A daemon serves scans from this database: apply in short steps. */
  live?: boolean;
}

/** Import from a stream (stdin): spooled to a temporary file first, so no lock is held while it arrives. */
export function importFeed(db: Db, applier: FeedApplier, input: Readable, options: ImportOptions = {}): Promise<ImportResult> {
  return withSpooledFile(input, (spool) => importFeedFile(db, applier, spool, options));
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

export async function importFeedFile(db: Db, applier: FeedApplier, path: string, { now = new Date(), live = false }: ImportOptions = {}): Promise<ImportResult> {
  const check = recordChecker(now);
  const total = { records: 0, maxSeq: 0, asOf: undefined as string | undefined };
  /** Apply one record in the caller's transaction, adding what it brings to `t` (kept once committed). */
  const applyOne = (record: ChangeRecord, t: typeof total) => {
    t.records++;
    t.maxSeq = Math.max(t.maxSeq, record.seq);
    t.asOf = applier.apply(record) ?? t.asOf;
  };
  const applyAll = (records: Iterable<ChangeRecord>, before: typeof total) => {
    const after = { ...before };
    for (const record of records) applyOne(record, after);
    return after;
  };
  const finish = (t: typeof total) => t.records > 0 && applier.finishBatch(t.maxSeq, t.asOf, now);

  if (!live) {
    Object.assign(total, db.transaction(() => {
      applier.beginBatch();
      const t = { ...total };
      for (const { line, lineNumber } of feedLines(path)) applyOne(check(line, lineNumber), t);
      finish(t);
      return t;
    })());
  } else {
    for (const { line, lineNumber } of feedLines(path)) check(line, lineNumber); // every line is good before anything is written
    const pending = feedLines(path);
    let stepSize = 256;
    for (let exhausted = false; !exhausted; ) {
      const step: ChangeRecord[] = [];
      while (step.length < stepSize) {
        const next = pending.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        step.push(check(next.value.line, next.value.lineNumber));
      }
      const started = performance.now();
      const last = exhausted;
      // A step that finds the lock taken is retried whole: nothing of it was written.
      Object.assign(total, await retryWhileBusy(() => db.transaction(() => {
        applier.beginBatch();
        const t = applyAll(step, total);
        if (last) finish(t);
        return t;
      })()));
      // Size the next step so it holds the write lock for about LIVE_STEP_MS.
      stepSize = Math.min(8192, Math.max(16, Math.round((stepSize * LIVE_STEP_MS) / Math.max(performance.now() - started, 0.1))));
      if (!exhausted) await sleep(LIVE_PAUSE_MS); // let the daemon's waiting writes in
    }
  }
  if (total.records > 0) applier.onCommitted();
  return { records: total.records, cursor: applier.cursor(), asOf: total.records > 0 ? new Date(total.asOf ?? now).toISOString() : null };
}

/** Parse and validate one line; the record applied is the validated one. */
function recordChecker(now: Date): (line: string, lineNumber: number) => ChangeRecord {
  const latestAsOf = now.getTime() + ALLOWED_FUTURE_SKEW_SECONDS * 1000;
  return (line, lineNumber) => {
    const fail = (why: string) => new KioskError(`line ${lineNumber}: ${why}`, 'FEED_INVALID', { line: lineNumber });
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw fail('not valid JSON');
    }
    const checked = checkRecord(json);
    if (!checked.ok) throw fail(checked.error);
    const record = checked.record;
    if (record.entity === 'meta' && record.op === 'upsert' && record.data.asOf && Date.parse(record.data.asOf) > latestAsOf) {
      throw fail(`meta asOf ${record.data.asOf} is in the future (now ${now.toISOString()}): the data cannot be newer than the clock`);
    }
    return record;
  };
}

/** Non-blank lines of a UTF-8 file with their 1-based line numbers, never holding more than one line. */
export function* feedLines(path: string): Generator<{ line: string; lineNumber: number }> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry: Buffer = Buffer.alloc(0);
    let lineNumber = 0;
    const tooLong = (n: number) => new KioskError(`line ${n}: longer than ${MAX_FEED_LINE_BYTES} bytes`, 'FEED_INVALID', { line: n });
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      let data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(0x0a, start); nl !== -1; nl = data.indexOf(0x0a, start)) {
        lineNumber++;
        if (nl - start > MAX_FEED_LINE_BYTES) throw tooLong(lineNumber);
        const line = data.toString('utf8', start, nl);
        start = nl + 1;
        if (NOT_BLANK.test(line)) yield { line, lineNumber };
      }
      data = data.subarray(start);
      if (data.length > MAX_FEED_LINE_BYTES) throw tooLong(lineNumber + 1);
      carry = Buffer.from(data); // copy: `chunk` is reused by the next read
    }
    if (carry.length) {
      const line = carry.toString('utf8');
      if (NOT_BLANK.test(line)) yield { line, lineNumber: lineNumber + 1 };
    }
  } finally {
    closeSync(fd);
  }
}
