// `kiosk import`: a whole NDJSON change-feed file in one transaction. The first bad line stops
// the import with its line number and the cache is left exactly as it was.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { KioskError } from '../errors.js';
import type { Db } from './db.js';
import type { FeedApplier } from './feed-applier.js';
import { checkRecord } from './feed-records.js';

/** A feed line longer than this is refused rather than parsed (a record is a few hundred bytes). */
export const MAX_FEED_LINE_BYTES = 1 << 20;

export interface ImportResult {
  records: number;
  cursor: number;
  asOf: string;
}

export async function importFeed(db: Db, applier: FeedApplier, input: Readable, now = new Date()): Promise<ImportResult> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  let records = 0;
  let maxSeq = 0;
  let asOf: string | undefined;
  db.exec('BEGIN IMMEDIATE');
  try {
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      const fail = (why: string) => new KioskError(`line ${lineNumber}: ${why}`, 'FEED_INVALID', { line: lineNumber });
      if (line.length > MAX_FEED_LINE_BYTES) throw fail(`longer than ${MAX_FEED_LINE_BYTES} bytes`);
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw fail('not valid JSON');
      }
      const checked = checkRecord(json);
      if (!checked.ok) throw fail(checked.error);
      asOf = applier.apply(checked.record) ?? asOf;
      maxSeq = Math.max(maxSeq, checked.record.seq);
      records++;
    }
    applier.finishBatch(maxSeq, asOf, now);
    db.exec('COMMIT');
    applier.onCommitted();
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    lines.close();
    throw e;
  }
  return { records, cursor: applier.cursor(), asOf: new Date(asOf ?? now).toISOString() };
}
