// A batch worker thread: builds its own Anonymizer from the plan and the key secret (both plain data from the
// main thread), then answers each batch of tasks with their outcomes (see pool.ts servePool).

import { Anonymizer } from '../anonymize/anonymizer.js';
import { servePool } from './pool.js';
import { processFile } from './process-file.js';
import type { FileOutcome, FileTask, WorkerSetup } from './protocol.js';
import { keysFromSecret } from './secret.js';

servePool<FileTask, FileOutcome>((data) => {
  const setup = data as WorkerSetup;
  const anonymizer = new Anonymizer(setup.plan, keysFromSecret(setup.secret));
  return (task) => processFile(anonymizer, task, setup);
});
