// Laziness: importing the detector's API loads no onnxruntime; the first detection does, once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ocrIndex = fileURLToPath(new URL('../../src/ocr/index.ts', import.meta.url));

// A child process, because this test runner's own process may already have loaded the engine elsewhere.
const probe = `
import { readFileSync } from 'node:fs';
const nativeLoaded = () => readFileSync('/proc/self/maps', 'utf8').includes('libonnxruntime');
const ocr = await import(${JSON.stringify(ocrIndex)});
const afterImport = nativeLoaded() || ocr.isEngineLoaded();
const detector = await ocr.loadTextDetector();
const boxes = await detector.detect({ width: 64, height: 64, data: new Uint8Array(64 * 64) });
const again = await ocr.loadTextDetector();
console.log(JSON.stringify({ afterImport, afterDetect: nativeLoaded(), boxes: boxes.length, loadMs: detector.loadMs, shared: again.loadMs === detector.loadMs }));
`;

test('importing src/ocr loads no onnxruntime; the first detection loads it once', { skip: process.platform !== 'linux' ? 'reads /proc/self/maps' : false }, () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').pop()!);
  console.log(`detector load: ${result.loadMs.toFixed(0)} ms`);
  assert.equal(result.afterImport, false, 'onnxruntime must not load on import');
  assert.equal(result.afterDetect, true);
  assert.equal(result.boxes, 0);
  assert.equal(result.shared, true, 'a second loadTextDetector() reuses the loaded models');
});
