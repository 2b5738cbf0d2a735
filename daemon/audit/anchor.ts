// The audit log's head kept outside the database: `audit-anchor.json` in the data directory (0600).
// The hash chain shows edits, gaps and reordering, but a log emptied or cut short verifies as a
// shorter valid chain; the anchor remembers a head the log once had, so such a log no longer
// matches it. The daemon advances the anchor as it appends (every ANCHOR_EVERY_ROWS rows, every
// ANCHOR_EVERY_MS, and at stop); `kiosk audit verify` checks against it, then advances it.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditLog } from './audit-log.js';

export const ANCHOR_FILE = 'audit-anchor.json';
export const ANCHOR_EVERY_ROWS = 50;
export const ANCHOR_EVERY_MS = 10_000;

export interface AuditHead {
  seq: number;
  hash: string;
}

/**
 * Something that remembers a head of this log. The anchor file is one; the hub's copy of the head
 * (docs/sync.md `auditHead`) is the next, for a log whose data directory was replaced as a whole.
 */
export interface HeadWitness {
  name: string;
  /** The head it remembers; null when it has none yet. Throws when what it holds cannot be read. */
  head(): AuditHead | null;
}

export function anchorWitness(dataDir: string): HeadWitness {
  return { name: `the anchor file ${join(dataDir, ANCHOR_FILE)}`, head: () => readAnchor(dataDir) };
}

export function readAnchor(dataDir: string): AuditHead | null {
  const file = join(dataDir, ANCHOR_FILE);
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<AuditHead>;
  if (!Number.isSafeInteger(parsed.seq) || (parsed.seq ?? 0) < 1 || typeof parsed.hash !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.hash)) {
    throw new Error('not a {seq, hash} audit head');
  }
  return { seq: parsed.seq!, hash: parsed.hash };
}

/** Where the log (`rows` long, its chain checked or trusted) disagrees with a witness's head, in words; null when it agrees. */
export function disagreement(log: AuditLog, rows: number, witness: HeadWitness): string | null {
  let head: AuditHead | null;
  try {
    head = witness.head();
  } catch (e) {
    return `${witness.name} cannot be read (${(e as Error).message}): remove it only once you know why`;
  }
  if (!head) return null;
  if (head.seq > rows) return `the log ends at seq ${rows}, but ${witness.name} saw seq ${head.seq}: rows were removed from its end`;
  if (log.hashAt(head.seq) !== head.hash) return `seq ${head.seq} is not the row ${witness.name} saw: the log was replaced or rewritten`;
  return null;
}

/**
 * Move the anchor to the log's head. Only forward, and only while the anchor's own head is still in
 * the chain: a log found cut short or rewritten keeps the anchor that shows it. Returns whether it wrote.
 */
export function advanceAnchor(dataDir: string, log: AuditLog, at = new Date()): boolean {
  const head = log.latest();
  if (!head) return false;
  const witness = anchorWitness(dataDir);
  const current = witness.head(); // throws on an unreadable anchor: never overwrite evidence
  if (current && (current.seq >= head.seq || log.hashAt(current.seq) !== current.hash)) return false;
  const file = join(dataDir, ANCHOR_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ seq: head.seq, hash: head.hash, at: at.toISOString() }) + '\n', { mode: 0o600 });
  renameSync(temp, file); // atomic: a crash leaves the old anchor or the new one
  return true;
}

/** The daemon's side: advances the anchor while the daemon appends, and once more at stop. */
export class AuditAnchorKeeper {
  private appended = 0;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: AuditLog,
    private readonly dataDir: string,
    private readonly onProblem: (message: string) => void,
    private readonly every = { rows: ANCHOR_EVERY_ROWS, ms: ANCHOR_EVERY_MS },
  ) {}

  start(): void {
    const problem = disagreement(this.log, this.log.latest()?.seq ?? 0, anchorWitness(this.dataDir));
    if (problem) this.onProblem(`audit log: ${problem}; the anchor is kept as it is (kiosk audit verify)`);
    this.log.onAppended = () => {
      if (++this.appended < this.every.rows || this.scheduled) return;
      this.scheduled = true;
      // After the current transaction: only a committed head is written.
      setImmediate(() => this.advance());
    };
    this.timer = setInterval(() => this.advance(), this.every.ms);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.log.onAppended = () => {};
    this.advance();
  }

  private advance(): void {
    this.scheduled = false;
    if (this.appended === 0) return;
    this.appended = 0;
    try {
      advanceAnchor(this.dataDir, this.log);
    } catch (e) {
      this.onProblem(`audit anchor not written: ${(e as Error).message}`);
    }
  }
}
