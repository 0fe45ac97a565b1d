// Laziness: importing the detector's API loads no onnxruntime; the first detection does, once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ocrIndex = fileURLToPath(new URL('../../src/ocr/index.ts', import.meta.url));
const textCases = fileURLToPath(new URL('../helpers/text-cases.ts', import.meta.url));

// A child process, because this test runner's own process may already have loaded the engine elsewhere.
const probe = `
import { readFileSync } from 'node:fs';
const nativeLoaded = () => readFileSync('/proc/self/maps', 'utf8').includes('libonnxruntime');
const ocr = await import(${JSON.stringify(ocrIndex)});
const afterImport = nativeLoaded() || ocr.isEngineLoaded();
const detector = await ocr.loadTextDetector();
const boxes = await detector.detect({ width: 64, height: 64, data: new Uint8Array(64 * 64) });
const again = await ocr.loadTextDetector();
const { greyCases } = await import(${JSON.stringify(textCases)});
const sample = await detector.detect(greyCases()[3].image);
console.log(JSON.stringify({ afterImport, afterDetect: nativeLoaded(), boxes: boxes.length, loadMs: detector.loadMs, shared: again.loadMs === detector.loadMs, sample }));
`;

test('importing src/ocr loads no onnxruntime; the first detection loads it once; another process finds the same boxes', { skip: process.platform !== 'linux' ? 'reads /proc/self/maps' : false }, async () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').pop()!);
  console.log(`detector load: ${result.loadMs.toFixed(0)} ms`);
  assert.equal(result.afterImport, false, 'onnxruntime must not load on import');
  assert.equal(result.afterDetect, true);
  assert.equal(result.boxes, 0);
  assert.equal(result.shared, true, 'a second loadTextDetector() reuses the loaded models');
  const { loadTextDetector } = await import('../../src/ocr/index.js');
  const { greyCases } = await import('../helpers/text-cases.js');
  assert.deepEqual(await (await loadTextDetector()).detect(greyCases()[3].image), result.sample, 'same image, same boxes in another process');
});
