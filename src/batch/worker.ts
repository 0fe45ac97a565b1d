// A batch worker thread: builds its own Anonymizer from the plan and the key secret (both plain data from the
// main thread), then processes one task per message and answers with its outcome.

import { parentPort, workerData } from 'node:worker_threads';
import { Anonymizer } from '../anonymize/anonymizer.js';
import { processFile } from './process-file.js';
import type { FileTask, WorkerSetup } from './protocol.js';
import { keysFromSecret } from './secret.js';

if (parentPort) {
  const setup = workerData as WorkerSetup;
  const anonymizer = new Anonymizer(setup.plan, keysFromSecret(setup.secret));
  const port = parentPort;
  port.on('message', (task: FileTask) => {
    port.postMessage(processFile(anonymizer, task, setup));
  });
}
