// Worker threads and the main thread together on one batch: for a few jobs (MAIN_THREAD_JOINS_UP_TO), the main thread
// processes tasks itself (inline.ts) beside N-1 workers instead of waiting for N. Each thread pays about 0.3 s to load
// the engine's modules and about 0.9 s of CPU while V8 warms the code up (scripts/bench-warmup.ts): one thread fewer
// to warm, the same cores busy. Both take tasks from one iterator; results reach the caller's onResult as they come.

import type { InlineRunner } from './inline.js';
import type { RunOptions, WorkerPool } from './pool.js';

/**
 * Most jobs for which the main thread takes a share: beyond that, its own bookkeeping (results, report, progress for
 * every file) is enough work, and the workers would wait on it.
 */
export const MAIN_THREAD_JOINS_UP_TO = 4;

export class MixedRunner<T, R> {
  /** `pool`: the workers (jobs - 1 of them); `inline`: the main thread's share. */
  constructor(private readonly pool: WorkerPool<T, R>, readonly inline: InlineRunner<T, R>) {}

  /** Threads in all: the workers and the main thread. */
  get size(): number {
    return this.pool.size + 1;
  }

  async run(tasks: Iterator<T>, options: RunOptions<T, R>): Promise<void> {
    let taken = 0;
    const shared: Iterator<T> = {
      next: () => {
        const r = tasks.next();
        if (!r.done) taken++;
        return r;
      },
    };
    // The pool sizes its batches from what is left for everyone, so that the last ones are small on both sides.
    const remaining = (): number => options.total - taken;
    // When one side fails (workers that cannot start), the other stops taking tasks before the run reports it.
    let failed = false;
    const shouldStop = (): boolean => failed || (options.shouldStop?.() ?? false);
    const side = (run: Promise<void>): Promise<void> => run.catch((error: unknown) => {
      failed = true;
      throw error;
    });
    const results = await Promise.allSettled([
      side(this.pool.run(shared, { ...options, remaining, shouldStop })),
      side(this.inline.run(shared, { ...options, shouldStop })),
    ]);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.close(), this.inline.close()]);
  }
}
