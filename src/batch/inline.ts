// The batch on the main thread, for work one worker would do (pool-size.ts), or beside the workers (mixed.ts): the
// same handler as a worker's, the same run/close surface as WorkerPool, without a thread to start or messages to
// pass. Tasks run one at a time in order, and every few milliseconds the event loop gets a turn (timers, signals, the
// progress bar, the workers' results), as it does beside workers.

import { performance } from 'node:perf_hooks';
import type { RunOptions } from './pool.js';

/** Longest stretch of work between two turns of the event loop. */
const YIELD_EVERY_MS = 10;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class InlineRunner<T, R> {
  readonly size = 1;
  /** Built by the first run, kept for the next (the header pre-pass, then the files). */
  private handle: ((task: T) => R | Promise<R>) | null = null;
  /** Tasks this runner has processed (all runs). */
  processed = 0;

  /**
   * `load` makes the handler when the first task comes (run.ts imports the engine there: a run whose work all goes
   * to worker threads never loads it on the main thread).
   */
  constructor(private readonly load: () => Promise<(task: T) => R | Promise<R>>) {}

  async run(tasks: Iterator<T>, options: RunOptions<T, R>): Promise<void> {
    const handle = (this.handle ??= await this.load());
    let lastTurn = performance.now();
    for (let next = tasks.next(); !next.done; next = tasks.next()) {
      if (options.shouldStop?.()) break;
      const task = next.value;
      let outcome: R;
      try {
        outcome = await handle(task);
      } catch (error) {
        // What would have stopped a worker (processFile turns every failure it expects into an outcome).
        outcome = options.onCrash(task, error instanceof Error ? error : new Error(String(error)));
      }
      this.processed++;
      options.onResult(outcome, task);
      if (performance.now() - lastTurn >= YIELD_EVERY_MS) {
        await turn();
        lastTurn = performance.now();
      }
    }
  }

  async close(): Promise<void> {}
}
