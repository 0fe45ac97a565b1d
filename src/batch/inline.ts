// The batch on the main thread, for work one worker would do (pool-size.ts): the same handler as a worker's, the same
// run/close surface as WorkerPool, without a thread to start or messages to pass. Tasks run one at a time in order,
// and every few milliseconds the event loop gets a turn (timers, signals, the progress bar), as it does beside workers.

import { performance } from 'node:perf_hooks';
import type { RunOptions } from './pool.js';
import type { WorkerResult, WorkerSetup, WorkerTask } from './protocol.js';

/** Longest stretch of work between two turns of the event loop. */
const YIELD_EVERY_MS = 10;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class InlineRunner {
  readonly size = 1;
  /** Built by the first run, kept for the next (the header pre-pass, then the files). */
  private handle: ((task: WorkerTask) => WorkerResult | Promise<WorkerResult>) | null = null;
  constructor(private readonly setup: WorkerSetup) {}

  async run(tasks: Iterator<WorkerTask>, options: RunOptions<WorkerTask, WorkerResult>): Promise<void> {
    // Loaded here, not by run.ts: a run with worker threads never loads the engine on the main thread.
    const { taskHandler } = await import('./file-handler.js');
    const handle = (this.handle ??= taskHandler(this.setup));
    let lastTurn = performance.now();
    for (let next = tasks.next(); !next.done; next = tasks.next()) {
      if (options.shouldStop?.()) break;
      const task = next.value;
      let outcome: WorkerResult;
      try {
        outcome = await handle(task);
      } catch (error) {
        // What would have stopped a worker (processFile turns every failure it expects into an outcome).
        outcome = options.onCrash(task, error instanceof Error ? error : new Error(String(error)));
      }
      options.onResult(outcome, task);
      if (performance.now() - lastTurn >= YIELD_EVERY_MS) {
        await turn();
        lastTurn = performance.now();
      }
    }
  }

  async close(): Promise<void> {}
}
