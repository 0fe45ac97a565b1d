// What turns one task into its outcome, built once from the setup: the same in a worker thread (worker.ts) and on the
// main thread (inline.ts).

import { Anonymizer } from '../anonymize/anonymizer.js';
import { processFile } from './process-file.js';
import type { FileOutcome, FileTask, WorkerSetup } from './protocol.js';
import { keysFromSecret } from './secret.js';

export function fileHandler(setup: WorkerSetup): (task: FileTask) => Promise<FileOutcome> {
  const anonymizer = new Anonymizer(setup.plan, keysFromSecret(setup.secret));
  return (task) => processFile(anonymizer, task, setup);
}
