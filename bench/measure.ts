// Small helpers the benches share: percentiles and a peak-RSS sampler.
export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, i)]!;
}

export function summarize(samplesMs: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

/** Samples process RSS every few ms; `peakMb()` is the highest seen (and the OS's own maxRSS). */
export class PeakRss {
  private peak = process.memoryUsage.rss();
  private readonly timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage.rss())), 5);
  peakMb(): number {
    clearInterval(this.timer);
    const maxRssKb = process.resourceUsage().maxRSS;
    return Math.max(this.peak, maxRssKb * 1024) / 2 ** 20;
  }
}

export const fmt = (n: number, digits = 3) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

/** The daemon's Node flags as deployed (systemd/kiosk.service, `npm start`): benches run it the same way. */
export const DEPLOYED_NODE_ARGS = ['--max-old-space-size=128', '--max-semi-space-size=4'];
