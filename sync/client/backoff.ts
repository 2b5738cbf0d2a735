// Retry delays: doubling from a first delay up to a cap, minus up to a quarter of jitter, so a
// room full of kiosks coming back after an outage do not knock on the hub in step.
export function backoffMs(attempts: number, { firstMs = 1000, maxMs = 5 * 60_000, random = Math.random }: { firstMs?: number; maxMs?: number; random?: () => number } = {}): number {
  const base = Math.min(firstMs * 2 ** Math.max(0, attempts - 1), maxMs);
  return Math.round(base * (1 - 0.25 * random()));
}

/**
 * How long a sync loop waits after `failures` failed exchanges in a row. An unreachable or failing
 * hub is asked again at least every 30 s, so the kiosk is back in sync soon after the hub is; a
 * refused token will not mend itself in a second, so it is asked about every few minutes.
 */
export function retryDelayMs(error: { kind: string }, failures: number): number {
  return error.kind === 'token' || error.kind === 'forbidden' ? backoffMs(failures, { firstMs: 60_000, maxMs: 5 * 60_000 }) : backoffMs(failures, { firstMs: 1000, maxMs: 30_000 });
}
