// A result screen that closes by itself (WCAG 2.2.1 Timing Adjustable): it counts down visibly,
// and any touch starts the count again, so a person who is still reading keeps the screen.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class AutoCloseController implements ReactiveController {
  /** Seconds left; 0 when not running. */
  remaining = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private deadline = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly seconds: number,
    private readonly onExpire: () => void,
  ) {
    host.addController(this);
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Start (or restart) the full count. */
  start(): void {
    this.deadline = Date.now() + this.seconds * 1000;
    this.remaining = this.seconds;
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), 250);
    this.host.requestUpdate();
  }

  /** A touch: the full count again, if one is running. */
  extend(): void {
    if (this.running) this.start();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.remaining = 0;
  }

  hostDisconnected(): void {
    this.stop();
  }

  private tick(): void {
    const left = Math.max(0, Math.ceil((this.deadline - Date.now()) / 1000));
    if (left !== this.remaining) {
      this.remaining = left;
      this.host.requestUpdate();
    }
    if (left === 0) {
      this.stop();
      this.onExpire();
    }
  }
}
