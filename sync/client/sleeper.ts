// An interruptible wait for a loop: sleep(ms) ends early on wake() (new work) or stop().
export class Sleeper {
  private wakeUp: (() => void) | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private wakeable = true;

  /**
   * Resolves after `ms`, on wake(), or at once once stopped. `backoff`: a wait after a failure,
   * which new work does not cut short (only wake({ force: true }) and stop() do).
   */
  sleep(ms: number, { backoff = false }: { backoff?: boolean } = {}): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.wakeable = !backoff;
    return new Promise((resolve) => {
      this.wakeUp = () => {
        clearTimeout(this.timer);
        this.wakeUp = null;
        resolve();
      };
      this.timer = setTimeout(this.wakeUp, Math.max(0, ms));
    });
  }

  wake({ force = false }: { force?: boolean } = {}): void {
    if (force || this.wakeable) this.wakeUp?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake({ force: true });
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}
