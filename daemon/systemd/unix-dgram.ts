// Typed access to the CommonJS native module `unix-dgram` (it ships no types). Only what sd_notify
// and its tests use. Its callbacks and events are synchronous.
import { createRequire } from 'node:module';

export interface UnixDgramSocket {
  /** Emits 'listening' or 'error' synchronously. */
  bind(path: string): void;
  /** Unconnected send: the callback runs synchronously with the send error, if any. */
  send(buf: Buffer, offset: number, length: number, path: string, callback?: (err?: Error) => void): void;
  /** Throws on a close(2) failure. */
  close(): void;
  on(event: 'message', listener: (buf: Buffer, rinfo: { size: number; path?: string }) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'listening' | 'writable', listener: () => void): this;
  on(event: 'congestion', listener: (buf: Buffer) => void): this;
  once(event: 'error', listener: (err: Error) => void): this;
  once(event: 'listening', listener: () => void): this;
  removeAllListeners(event?: string): this;
}

interface UnixDgramModule {
  createSocket(type: 'unix_dgram', listener?: (buf: Buffer) => void): UnixDgramSocket;
}

const unixDgram = createRequire(import.meta.url)('unix-dgram') as UnixDgramModule;

/** A new AF_UNIX SOCK_DGRAM socket. It holds the event loop open until `close()`. */
export function createUnixDgramSocket(listener?: (buf: Buffer) => void): UnixDgramSocket {
  return unixDgram.createSocket('unix_dgram', listener);
}

/**
 * unix-dgram copies the path into sun_path with strncpy, so it cannot express abstract addresses
 * (leading NUL) and silently truncates paths longer than 107 bytes.
 */
export const MAX_UNIX_PATH_BYTES = 107;
