// A batch worker thread: builds its own Anonymizer from the plan and the key secret (both plain data from the
// main thread), then answers each batch of tasks with their outcomes (see pool.ts servePool).

import { fileHandler } from './file-handler.js';
import { servePool } from './pool.js';
import type { FileOutcome, FileTask, WorkerSetup } from './protocol.js';

servePool<FileTask, FileOutcome>((data) => fileHandler(data as WorkerSetup));
