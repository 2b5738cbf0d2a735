// Handovers wait a few seconds before they are sent, with an Undo button meanwhile. Why an undo
// window and not a confirm step: handing over is the counter's most frequent tap, and nearly always
// right; a confirm dialog costs every handover a second tap (and becomes a reflex), while the
// window costs nothing when right and catches the slip (wrong row, double tap). A handover the hub
// has been told of cannot be taken back, so nothing leaves the screen until the window closes.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export const UNDO_SECONDS = 5;

interface Pending {
  ticketId: string | undefined;
  deadline: number;
  timer: ReturnType<typeof setTimeout>;
}

export class PendingHandovers implements ReactiveController {
  private readonly pending = new Map<string, Pending>();
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** The countdowns last drawn: the host is redrawn only when one of them changes (once a second). */
  private shown = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly send: (receiptNumber: string, ticketId: string | undefined) => void,
    readonly seconds = UNDO_SECONDS,
  ) {
    host.addController(this);
  }

  /** Hand over after the window, unless undone. */
  start(receiptNumber: string, ticketId: string | undefined): void {
    if (this.pending.has(receiptNumber)) return;
    const timer = setTimeout(() => this.fire(receiptNumber), this.seconds * 1000);
    this.pending.set(receiptNumber, { ticketId, deadline: Date.now() + this.seconds * 1000, timer });
    this.ticker ??= setInterval(() => this.tick(), 250);
    this.host.requestUpdate();
  }

  undo(receiptNumber: string): void {
    const p = this.pending.get(receiptNumber);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(receiptNumber);
    this.idle();
    this.host.requestUpdate();
  }

  /** Whole seconds left in the window, or null when this item is not waiting. */
  secondsLeft(receiptNumber: string): number | null {
    const p = this.pending.get(receiptNumber);
    return p ? Math.max(0, Math.ceil((p.deadline - Date.now()) / 1000)) : null;
  }

  /** Leaving (sign-out, closing the page): what staff handed over is sent now, not dropped. */
  hostDisconnected(): void {
    for (const receipt of [...this.pending.keys()]) this.fire(receipt);
  }

  private fire(receiptNumber: string): void {
    const p = this.pending.get(receiptNumber);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(receiptNumber);
    this.idle();
    this.send(receiptNumber, p.ticketId);
  }

  private tick(): void {
    const shown = [...this.pending.keys()].map((r) => this.secondsLeft(r)).join();
    if (shown === this.shown) return;
    this.shown = shown;
    this.host.requestUpdate();
  }

  private idle(): void {
    if (this.pending.size > 0) return;
    clearInterval(this.ticker);
    this.ticker = undefined;
  }
}
