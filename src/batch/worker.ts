// A batch worker thread: builds its own Anonymizer from the plan and the key secret (both plain data from the
// main thread), then answers each batch of tasks (files to anonymize, headers to look at) with their results (see pool.ts servePool).

import { taskHandler } from './file-handler.js';
import { servePool } from './pool.js';
import type { WorkerResult, WorkerSetup, WorkerTask } from './protocol.js';

servePool<WorkerTask, WorkerResult>((data) => taskHandler(data as WorkerSetup));
