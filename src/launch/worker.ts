// A batch worker thread started by the engine bundle (its batch/run.ts finds this file beside engine.cjs): the
// same bundle and code cache as the main thread (engine.ts), else the ES modules' worker.

import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchEngine } from './engine.js';

const engine = launchEngine(dirname(fileURLToPath(import.meta.url)));
if (engine) engine.serveBatchWorker();
else await import('../batch/worker.js');
