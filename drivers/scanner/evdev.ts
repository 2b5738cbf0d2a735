// evdev `struct input_event` records from /dev/input/event*: { struct timeval time; __u16 type;
// __u16 code; __s32 value; } — 24 bytes on 64-bit Linux (two 64-bit longs), 16 bytes on 32-bit.
import { arch } from 'node:os';

export const EV_KEY = 0x01;
export const KEY_RELEASE = 0;
export const KEY_PRESS = 1;
export const KEY_REPEAT = 2;

export interface InputEvent {
  type: number;
  code: number;
  value: number;
}

export function inputEventSize(cpu: string = arch()): 16 | 24 {
  return ['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'].includes(cpu) ? 24 : 16;
}

/** Parses whole records; returns the events and the trailing bytes of an incomplete record. */
export function parseInputEvents(buf: Buffer, recordSize: 16 | 24 = inputEventSize()): { events: InputEvent[]; rest: Buffer } {
  const events: InputEvent[] = [];
  const whole = buf.length - (buf.length % recordSize);
  const timeBytes = recordSize - 8;
  for (let off = 0; off < whole; off += recordSize) {
    events.push({
      type: buf.readUInt16LE(off + timeBytes),
      code: buf.readUInt16LE(off + timeBytes + 2),
      value: buf.readInt32LE(off + timeBytes + 4),
    });
  }
  return { events, rest: Buffer.from(buf.subarray(whole)) };
}

/** Builds a record (tests and the bench write these into a fifo standing in for the device). */
export function encodeInputEvent(ev: InputEvent, recordSize: 16 | 24 = inputEventSize()): Buffer {
  const b = Buffer.alloc(recordSize);
  const timeBytes = recordSize - 8;
  b.writeUInt16LE(ev.type, timeBytes);
  b.writeUInt16LE(ev.code, timeBytes + 2);
  b.writeInt32LE(ev.value, timeBytes + 4);
  return b;
}
