// A batch worker thread: builds its own Anonymizer from the plan and the key secret (both plain data from the
// main thread), then answers each batch of tasks (files to anonymize, headers to look at) with their results
// (file-handler.ts serveBatchWorker). The launcher's engine bundle starts launch/worker.ts instead, which runs the same.

import { serveBatchWorker } from './file-handler.js';

serveBatchWorker();
