// How many workers a batch gets, from the work at hand: a worker thread costs about 0.2-0.3 s of CPU before its
// first file (loading the engine's modules, then warming its code up on files), so a second one is started only when
// each would have enough files to pay that back. One worker's worth of work runs on the main thread (inline.ts):
// no thread to start, no messages. Measured in README "Performance".

/** Estimated milliseconds of CPU per file (a small warm file costs 0.5-2 ms) and per MB (read + write). */
const MS_PER_FILE = 1;
const MS_PER_MB = 1;
/** Work (estimated ms of CPU) each worker must have for one more worker to be started. */
const MIN_MS_PER_WORKER = 500;
/**
 * An at-risk image under --burned-in redact: text detection and recognition of a 512² frame cost 0.3-0.5 s of CPU
 * (scripts/bench-redact.ts), a cine or a large image several seconds. Counted at the low end.
 */
export const MS_PER_AT_RISK_FILE = 400;

/**
 * Workers for `files` files under a ceiling of `jobs`: at least 1, at most one per file, and only as many as have
 * MIN_MS_PER_WORKER of estimated work each. `totalBytes` (which may stat the inputs) is called only when the file
 * count alone does not already give `jobs` workers, so a large batch is not stat'ed for nothing; so is `atRisk`
 * (files that will be searched for text under policy redact, estimated from a few headers), given only under redact.
 */
export function workersFor(files: number, jobs: number, totalBytes: () => number, atRisk?: (enough: number) => number): number {
  const ceiling = Math.max(1, Math.min(jobs, files));
  if (ceiling === 1) return 1;
  if (Math.floor((files * MS_PER_FILE) / MIN_MS_PER_WORKER) >= ceiling) return ceiling;
  const enough = Math.ceil((ceiling * MIN_MS_PER_WORKER) / MS_PER_AT_RISK_FILE);
  const heavy = atRisk ? atRisk(enough) * MS_PER_AT_RISK_FILE : 0;
  if (Math.floor(heavy / MIN_MS_PER_WORKER) >= ceiling) return ceiling;
  const estimate = heavy + files * MS_PER_FILE + (totalBytes() / 1e6) * MS_PER_MB;
  return Math.max(1, Math.min(ceiling, Math.floor(estimate / MIN_MS_PER_WORKER)));
}
