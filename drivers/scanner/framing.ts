// Framing: bytes from a scanner → one Buffer per scan. A frame ends at CR, LF (so CRLF too: the
// empty frame between CR and LF is skipped) or after an inter-byte gap for scanners that send no
// terminator. Once a device has sent a terminator, gaps no longer end frames: a slow USB host or
// a busy machine can pause mid-scan, and a terminated scanner says itself where a scan ends. Memory is bounded: a frame longer than maxFrameBytes is dropped (reported once via
// onDrop) and the bytes up to the next terminator or gap are discarded without being kept.
import { performance } from 'node:perf_hooks';
import { Transform, type TransformCallback } from 'node:stream';

export interface FramerOptions {
  /** End a frame after this much silence (ms); 0 disables. Default 50. */
  gapMs?: number;
  /** Longest frame kept, in bytes. Default 64 KiB. */
  maxFrameBytes?: number;
  /** Called once per dropped frame with the number of bytes seen so far when it was dropped. */
  onDrop?: (bytesSeen: number) => void;
}

const CR = 0x0d;
const LF = 0x0a;

export class ScanFramer extends Transform {
  private readonly gapMs: number;
  private readonly max: number;
  private readonly onDrop: (n: number) => void;
  private chunks: Buffer[] = [];
  private length = 0;
  private discarding = false;
  private timer: NodeJS.Timeout | undefined;
  /** A scanner set to send a terminator sends one after every scan: from the first, gaps do not end frames. */
  private sawTerminator = false;

  constructor(opts: FramerOptions = {}) {
    super({ readableObjectMode: true });
    this.gapMs = opts.gapMs ?? 50;
    this.max = opts.maxFrameBytes ?? 64 * 1024;
    this.onDrop = opts.onDrop ?? (() => {});
  }

  /** Bytes held for the frame in progress (never more than maxFrameBytes). */
  get bufferedBytes(): number {
    return this.discarding ? 0 : this.length;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b !== CR && b !== LF) continue;
      this.sawTerminator = true;
      this.append(chunk.subarray(start, i));
      this.endFrame();
      start = i + 1;
    }
    this.append(chunk.subarray(start));
    this.armGap();
    done();
  }

  override _flush(done: TransformCallback): void {
    this.clearGap();
    this.endFrame();
    done();
  }

  override _destroy(err: Error | null, done: (error: Error | null) => void): void {
    this.clearGap();
    this.chunks = [];
    done(err);
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    if (this.discarding) {
      this.length += part.length;
      return;
    }
    if (this.length + part.length > this.max) {
      this.discarding = true;
      this.chunks = [];
      this.length += part.length;
      this.onDrop(this.length);
      return;
    }
    // Copy: the caller's chunk may be a view into a larger pooled buffer.
    this.chunks.push(Buffer.from(part));
    this.length += part.length;
  }

  private endFrame(): void {
    const wasDiscarding = this.discarding;
    const frame = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    this.length = 0;
    this.discarding = false;
    if (!wasDiscarding && frame.length > 0) this.push(frame);
  }

  private armGap(): void {
    this.clearGap();
    if (this.gapMs <= 0 || this.sawTerminator || (this.length === 0 && !this.discarding)) return;
    const armedAt = performance.now();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // The timer measures event-loop time, not silence on the wire. If it fires late (the loop
      // was stalled by a slow fsync or GC), bytes may be waiting in the kernel or the read
      // threadpool: measure the gap again rather than cut the scan in two.
      if (performance.now() - armedAt > this.gapMs * 1.5) return this.armGap();
      this.endFrame();
    }, this.gapMs);
  }

  private clearGap(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
