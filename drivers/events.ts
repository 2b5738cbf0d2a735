// A small typed EventEmitter: declare the events once as a map of name → argument tuple.
import { EventEmitter } from 'node:events';

export type EventMap = Record<string, unknown[]>;

export class TypedEmitter<E extends EventMap> {
  private readonly inner = new EventEmitter();

  on<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    this.inner.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  once<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    this.inner.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    this.inner.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  removeAllListeners(): this {
    this.inner.removeAllListeners();
    return this;
  }

  /** Calls each listener in its own try/catch: one bad listener does not break the rest. */
  protected emit<K extends keyof E & string>(event: K, ...args: E[K]): void {
    for (const listener of this.inner.listeners(event)) {
      try {
        (listener as (...a: E[K]) => void)(...args);
      } catch (e) {
        process.emitWarning(`listener for ${event} threw: ${(e as Error).message}`);
      }
    }
  }
}
