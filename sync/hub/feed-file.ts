// `kiosk hub publish` and `--seed`: an NDJSON change-feed file appended all or nothing. Every line
// is checked first (a bad one is named and nothing is written); then the records are published in
// chunks inside one transaction. Seqs in the file are ignored: the hub assigns its own.
import type { Readable } from 'node:stream';
import { KioskError } from '../../daemon/errors.js';
import { feedLines, withSpooledFile } from '../../daemon/store/feed-import.js';
import { checkRecord, type ChangeRecord } from '../../protocol/feed-records.js';
import type { HubStore, PublishResult } from './types.js';

const CHUNK = 5000;

export interface FilePublishResult extends PublishResult {
  records: number;
}

export async function publishFeedFile(store: HubStore, path: string): Promise<FilePublishResult> {
  let records = 0;
  for (const { line, lineNumber } of feedLines(path)) {
    check(line, lineNumber);
    records++;
  }
  const result = await store.publishChunks(chunks(path));
  return { ...result, records };
}

/** From a stream (stdin): spooled to a temporary file first, so it can be read twice. */
export function publishFeedStream(store: HubStore, input: Readable): Promise<FilePublishResult> {
  return withSpooledFile(input, (path) => publishFeedFile(store, path));
}

function check(line: string, lineNumber: number): ChangeRecord {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new KioskError(`line ${lineNumber}: not valid JSON`, 'FEED_INVALID', { line: lineNumber });
  }
  const checked = checkRecord(json);
  if (!checked.ok) throw new KioskError(`line ${lineNumber}: ${checked.error}`, 'FEED_INVALID', { line: lineNumber });
  return checked.record;
}

/** The checked records again, a chunk at a time (the file was checked whole before). */
function* chunks(path: string): Generator<ChangeRecord[]> {
  let chunk: ChangeRecord[] = [];
  for (const { line, lineNumber } of feedLines(path)) {
    chunk.push(check(line, lineNumber));
    if (chunk.length === CHUNK) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
