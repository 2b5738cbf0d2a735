import { describe, expect, it } from 'vitest';
import { ScanFramer } from './framing.js';

function run(chunks: number[][], opts: ConstructorParameters<typeof ScanFramer>[0] = { gapMs: 0 }) {
  const framer = new ScanFramer(opts);
  const frames: string[] = [];
  framer.on('data', (f: Buffer) => frames.push(f.toString('latin1')));
  for (const c of chunks) framer.write(Buffer.from(c));
  return { framer, frames };
}

const bytes = (s: string) => [...Buffer.from(s, 'latin1')];

describe('ScanFramer', () => {
  it('ends frames at CR, LF and CRLF, skipping the empty frame inside CRLF', () => {
    const { frames } = run([[0x41, 0x0d, 0x42, 0x0a, 0x43, 0x0d, 0x0a, 0x44, 0x0d]]);
    expect(frames).toEqual(['A', 'B', 'C', 'D']);
  });

  it('joins a frame split across chunks, including a CRLF split between chunks', () => {
    const { frames } = run([bytes('KQ1AB'), bytes('CD\r'), bytes('\nKQ1E'), bytes('F\n')]);
    expect(frames).toEqual(['KQ1ABCD', 'KQ1EF']);
  });

  it('ends an unterminated frame after the gap, and at end of stream', async () => {
    const { framer, frames } = run([bytes('KQ1GAP')], { gapMs: 20 });
    expect(frames).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(frames).toEqual(['KQ1GAP']);
    framer.write(Buffer.from('TAIL'));
    framer.end();
    await new Promise((r) => framer.on('end', r).resume());
    expect(frames).toEqual(['KQ1GAP', 'TAIL']);
  });

  it('drops an oversized frame once, holds at most the limit, and resumes after the terminator', () => {
    const drops: number[] = [];
    const framer = new ScanFramer({ gapMs: 0, maxFrameBytes: 8, onDrop: (n) => drops.push(n) });
    const frames: string[] = [];
    framer.on('data', (f: Buffer) => frames.push(f.toString()));
    framer.write(Buffer.from('12345'));
    expect(framer.bufferedBytes).toBe(5);
    framer.write(Buffer.from('67890'));
    framer.write(Buffer.from('ABCDEFGHIJ'));
    expect(framer.bufferedBytes).toBe(0);
    framer.write(Buffer.from('XYZ\rOK\r'));
    expect(frames).toEqual(['OK']);
    expect(drops).toEqual([10]);
  });

  it('keeps a frame of exactly the limit', () => {
    const { frames } = run([bytes('12345678\r')], { gapMs: 0, maxFrameBytes: 8 });
    expect(frames).toEqual(['12345678']);
  });
});

describe('gap framing when the event loop stalls', () => {
  it('does not cut a frame when the gap timer fires late because the loop was busy', async () => {
    const { framer, frames } = run([], { gapMs: 20 });
    framer.write(Buffer.from('KQ1FIRSTHALF'));
    const busyUntil = Date.now() + 80; // a stall longer than the gap, as a slow fsync causes
    while (Date.now() < busyUntil) {
      /* block the loop */
    }
    // Bytes that were waiting during the stall reach the framer after the late timer has run.
    setImmediate(() => framer.write(Buffer.from('SECONDHALF')));
    await new Promise((r) => setTimeout(r, 120));
    expect(frames).toEqual(['KQ1FIRSTHALFSECONDHALF']);
  });
});

describe('gap framing after a terminator', () => {
  it('a device that has sent a CR is framed by terminators only, however long a pause', async () => {
    const { framer, frames } = run([bytes('FIRST\r'), bytes('SECOND')], { gapMs: 20 });
    await new Promise((r) => setTimeout(r, 60));
    framer.write(Buffer.from('HALF\r'));
    expect(frames).toEqual(['FIRST', 'SECONDHALF']);
  });
});
