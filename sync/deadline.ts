// A deadline for one exchange with another machine, held by a timer of its own.
//
// Why not `AbortSignal.any([cancel, AbortSignal.timeout(ms)])`: on Node 20 the timeout signal inside
// `any()` can be garbage-collected before it fires, and then the exchange waits for ever.

export interface Deadline {
  /** Aborted when the deadline passes or `cancel` aborts. */
  readonly signal: AbortSignal;
  /** The deadline passed (rather than a cancel). */
  passed(): boolean;
  /** Stop the timer and forget `cancel`: call once the exchange is over. */
  dispose(): void;
}

export function deadline(ms: number, cancel?: AbortSignal): Deadline {
  const abort = new AbortController();
  let passed = false;
  const timer = setTimeout(() => {
    passed = true;
    abort.abort();
  }, ms);
  const onCancel = () => abort.abort();
  if (cancel?.aborted) abort.abort();
  else cancel?.addEventListener('abort', onCancel, { once: true });
  return {
    signal: abort.signal,
    passed: () => passed,
    dispose() {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    },
  };
}
