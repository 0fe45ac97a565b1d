// Hostile-input tests guard against hangs, not speed: an input that was quadratic takes minutes to hours, the linear
// code milliseconds. The bound is far above anything a loaded CI machine needs, so it fails only on a real regression.
// Speed itself is measured by `npm run bench`, never asserted here.

export const HANG_MS = 60_000;

/** Runs `fn` and fails when it took longer than the hang bound; returns its result. */
export function withinHangBound<T>(what: string, fn: () => T): T {
  const started = performance.now();
  const result = fn();
  const ms = performance.now() - started;
  if (ms > HANG_MS) throw new Error(`${what} took ${ms.toFixed(0)} ms: a hang (quadratic behaviour is back?)`);
  return result;
}
