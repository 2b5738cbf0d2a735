// Retry delays: doubling from a first delay up to a cap, minus up to a quarter of jitter, so a
// room full of kiosks coming back after an outage do not knock on the hub in step.
export function backoffMs(attempts: number, { firstMs = 1000, maxMs = 5 * 60_000, random = Math.random }: { firstMs?: number; maxMs?: number; random?: () => number } = {}): number {
  const base = Math.min(firstMs * 2 ** Math.max(0, attempts - 1), maxMs);
  return Math.round(base * (1 - 0.25 * random()));
}
