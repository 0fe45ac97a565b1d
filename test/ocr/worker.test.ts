// The detector in worker threads (as the batch pool will run it): each worker loads its own engine, two at
// once work, and they find the same boxes as the main thread.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { loadTextDetector, type TextBox } from '../../src/ocr/index.js';
import { greyCases } from '../helpers/text-cases.js';

// Node 20 workers cannot load a .ts entry even with --import tsx: register tsx's loader first (as src/batch/pool.ts does).
const href = new URL('../helpers/ocr-test-worker.ts', import.meta.url).href;
const entry = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(href)}); });`;

function detectInWorker(caseIndex: number): Promise<{ boxes: TextBox[]; loadMs: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry, { eval: true, workerData: caseIndex });
    worker.once('message', (message) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

test('two workers detect at once, each with its own engine, and agree with the main thread', async () => {
  const [a, b] = await Promise.all([detectInWorker(0), detectInWorker(6)]);
  const detector = await loadTextDetector();
  const cases = greyCases();
  assert.deepEqual(a.boxes, await detector.detect(cases[0].image));
  assert.deepEqual(b.boxes, await detector.detect(cases[6].image));
  assert.ok(a.loadMs > 0 && b.loadMs > 0);
});
