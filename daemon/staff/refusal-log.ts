// Audit rows for refused sign-ins, bounded, because anyone on the LAN can cause them: each refusal
// after a PIN check gets a row, a source that is held (locked, not checked) gets one row per window,
// and no more than `rowsPerWindow` refusal rows are written in any window. What was left out is
// counted and written as one summary row with the first refusal of a later window.
export const REFUSAL_LOG_LIMITS = { windowMs: 15 * 60_000, rowsPerWindow: 50 } as const;

export interface Refusal {
  /** As typed (at most 64 characters); null when the body had none. */
  staffId: string | null;
  source: string;
  /** UNAUTHORIZED or LOCKED_OUT. */
  refused: string;
  /** Whether a PIN was checked (a guess) or the attempt was held before that. */
  pinChecked: boolean;
}

export type RefusalRow = { staffId: string | null; source: string; refused: string } | { refused: 'NOT_RECORDED'; count: number; from: string; to: string };

export class SignInRefusalLog {
  private windowStart = Number.NEGATIVE_INFINITY;
  private rows = 0;
  private unrecorded = 0;
  private readonly heldSources = new Set<string>();

  constructor(
    private readonly write: (row: RefusalRow, at: Date) => void,
    private readonly limits: { windowMs: number; rowsPerWindow: number } = REFUSAL_LOG_LIMITS,
  ) {}

  record(refusal: Refusal, at: Date): void {
    const t = at.getTime();
    if (t - this.windowStart >= this.limits.windowMs) this.startWindow(t, at);
    const repeatHold = !refusal.pinChecked && this.heldSources.has(refusal.source);
    if (repeatHold || this.rows >= this.limits.rowsPerWindow) {
      this.unrecorded++;
      return;
    }
    if (!refusal.pinChecked) this.heldSources.add(refusal.source);
    this.rows++;
    this.write({ staffId: refusal.staffId, source: refusal.source, refused: refusal.refused }, at);
  }

  private startWindow(t: number, at: Date): void {
    if (this.unrecorded > 0) {
      const from = new Date(this.windowStart).toISOString();
      const to = new Date(this.windowStart + this.limits.windowMs).toISOString();
      this.write({ refused: 'NOT_RECORDED', count: this.unrecorded, from, to }, at);
    }
    this.windowStart = t;
    this.rows = 0;
    this.unrecorded = 0;
    this.heldSources.clear();
  }
}
