// What turns one task into its result, built once from the setup: the same in a worker thread (worker.ts) and on the
// main thread (inline.ts). A file task is anonymized (process-file.ts); a path-values task reads one header for the
// mirror layout's names (mirror-names.ts), so that pre-pass is spread over the workers too.
// serveBatchWorker is what a worker thread runs: worker.ts from the modules, launch/worker.ts from the engine bundle.

import { Anonymizer } from '../anonymize/anonymizer.js';
import { headerPathValues } from './mirror-names.js';
import { servePool } from './pool.js';
import { processFile } from './process-file.js';
import type { WorkerResult, WorkerSetup, WorkerTask } from './protocol.js';
import { keysFromSecret } from './secret.js';

export function taskHandler(setup: WorkerSetup): (task: WorkerTask) => WorkerResult | Promise<WorkerResult> {
  let anonymizer: Anonymizer | null = null;
  return (task) => {
    if ('kind' in task) return { kind: 'path-values', index: task.index, values: headerPathValues(task.input, setup.readOptions) };
    anonymizer ??= new Anonymizer(setup.plan, keysFromSecret(setup.secret));
    return processFile(anonymizer, task, setup);
  };
}

/** Serves the pool's batches in this worker thread (see pool.ts servePool), each task through taskHandler. */
export function serveBatchWorker(): void {
  servePool<WorkerTask, WorkerResult>((data) => taskHandler(data as WorkerSetup));
}
