// Long-poll waiters. A request registers before it reads its page, so a change committed between
// the read and the wait still wakes it. A waiter scoped to an office wakes only for changes that
// concern that office (or everyone); the store is subscribed to only while someone waits.
import type { HubStore, FeedWake } from './types.js';

/** More long-polls than this from one device are answered at once instead of held. */
export const MAX_WAITERS_PER_DEVICE = 4;
export const MAX_WAITERS = 10_000;

export interface Waiter {
  /** Resolves when a relevant change arrives, `ms` pass, or `signal` aborts. */
  wait(ms: number, signal: AbortSignal): Promise<void>;
  release(): void;
}

interface Entry {
  office: string | undefined;
  deviceId: string;
  woken: boolean;
  wake: () => void;
}

export class FeedWaiters {
  private readonly entries = new Set<Entry>();
  private readonly perDevice = new Map<string, number>();
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(private readonly store: HubStore) {}

  /** null when this device (or the hub) holds as many long-polls as it may, or the hub is stopping. */
  register(deviceId: string, office: string | undefined): Waiter | null {
    if (this.closed || this.entries.size >= MAX_WAITERS || (this.perDevice.get(deviceId) ?? 0) >= MAX_WAITERS_PER_DEVICE) return null;
    const entry: Entry = { office, deviceId, woken: false, wake: () => undefined };
    this.entries.add(entry);
    this.perDevice.set(deviceId, (this.perDevice.get(deviceId) ?? 0) + 1);
    this.unsubscribe ??= this.store.subscribe((wake) => this.wake(wake));
    let released = false;
    return {
      wait: (ms, signal) =>
        new Promise<void>((resolve) => {
          if (entry.woken || signal.aborted) return resolve();
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, ms);
          signal.addEventListener('abort', done, { once: true });
          entry.wake = done;
        }),
      release: () => {
        if (released) return;
        released = true;
        this.entries.delete(entry);
        const left = (this.perDevice.get(deviceId) ?? 1) - 1;
        if (left > 0) this.perDevice.set(deviceId, left);
        else this.perDevice.delete(deviceId);
        if (this.entries.size === 0 && this.unsubscribe) {
          this.unsubscribe();
          this.unsubscribe = null;
        }
      },
    };
  }

  get size(): number {
    return this.entries.size;
  }

  private wake(wake: FeedWake): void {
    for (const entry of this.entries) {
      if (entry.office === undefined || 'all' in wake || wake.offices.has(entry.office)) {
        entry.woken = true;
        entry.wake();
      }
    }
  }

  /** The hub is stopping: answer every long-poll now and hold no new ones. */
  close(): void {
    this.closed = true;
    this.wake({ all: true });
  }
}
