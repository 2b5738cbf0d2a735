// Writes grayscale frames as a YUV4MPEG2 (y4m) video, the format Chromium's
// --use-file-for-fake-video-capture plays as a camera (in a loop). 4:2:0 with neutral chroma.
import { closeSync, openSync, writeSync } from 'node:fs';

export function writeY4m(file: string, frames: Iterable<{ luma: Uint8ClampedArray; width: number; height: number }>, fps = 30): number {
  const fd = openSync(file, 'w', 0o600);
  let count = 0;
  try {
    let size: [number, number] | undefined;
    for (const f of frames) {
      if (!size) {
        size = [f.width, f.height];
        writeSync(fd, `YUV4MPEG2 W${f.width} H${f.height} F${fps}:1 Ip A1:1 C420jpeg\n`);
      } else if (size[0] !== f.width || size[1] !== f.height) throw new Error('y4m: every frame must have the same size');
      const chroma = Buffer.alloc(2 * (f.width >> 1) * (f.height >> 1), 128);
      writeSync(fd, 'FRAME\n');
      writeSync(fd, f.luma);
      writeSync(fd, chroma);
      count++;
    }
  } finally {
    closeSync(fd);
  }
  return count;
}
