// Hostile output trees: a subfolder of the output swapped for a symbolic link while the run writes, or planted as
// one before it, sends nothing outside the output tree (every folder is checked at the moment of writing).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { basicProfilePlan } from '../../src/config/load.js';
import { runBatch } from '../../src/batch/run.js';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');
const SECRET = { kind: 'text', text: 'races-test-key-0123456789' } as const;
const SLICE = join(EXAMPLES, 'ct', 'slice-001.dcm');

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'dicomanon-races-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Every path under `dir` (files and folders). */
function everything(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

test('a subfolder swapped for a symbolic link mid-run: the later files fail, nothing lands outside', async () => {
  const input = join(work, 'swap-in'), output = join(work, 'swap-out'), outside = join(work, 'swap-outside');
  mkdirSync(join(input, 'a'), { recursive: true });
  mkdirSync(join(input, 'b'), { recursive: true });
  mkdirSync(outside);
  copyFileSync(SLICE, join(input, 'a', 'first.dcm'));
  for (let i = 0; i < 400; i++) copyFileSync(SLICE, join(input, 'b', `f${String(i).padStart(3, '0')}.dcm`));
  let swapped = false;
  // Swap out/b for a link to a folder outside as soon as the run has written its first file there.
  const watcher = setInterval(() => {
    if (swapped || !existsSync(join(output, 'b')) || readdirSync(join(output, 'b')).length === 0) return;
    renameSync(join(output, 'b'), join(output, 'b-moved'));
    symlinkSync(outside, join(output, 'b'));
    swapped = true;
  }, 1);
  let summary;
  try {
    summary = await runBatch({ input, output, recursive: true, plan: basicProfilePlan([]), secret: SECRET, jobs: 1, log: () => {} });
  } finally {
    clearInterval(watcher);
  }
  assert.ok(swapped, 'the folder was swapped while the run wrote');
  assert.ok(summary.failed > 0, `files after the swap fail (${summary.ok} ok)`);
  assert.deepEqual(everything(outside), [], 'nothing was written outside the output tree');
});

test('a symbolic link planted in the output tree before the run: no folder or file is created through it', async () => {
  const input = join(work, 'plant-in'), output = join(work, 'plant-out'), outside = join(work, 'plant-outside');
  mkdirSync(join(input, 'c', 'deep'), { recursive: true });
  mkdirSync(join(input, 'd'), { recursive: true });
  copyFileSync(SLICE, join(input, 'c', 'deep', 'x.dcm'));
  copyFileSync(SLICE, join(input, 'c', 'y.dcm'));
  copyFileSync(SLICE, join(input, 'd', 'z.dcm'));
  mkdirSync(output);
  mkdirSync(outside);
  symlinkSync(outside, join(output, 'c'));
  const summary = await runBatch({ input, output, recursive: true, plan: basicProfilePlan([]), secret: SECRET, jobs: 1, log: () => {} });
  assert.equal(summary.failed, 2);
  assert.equal(summary.ok, 1);
  assert.deepEqual(everything(outside), []);
  assert.ok(existsSync(join(output, 'd', 'z.dcm')));
});

test('an output root that is itself a symbolic link (chosen by the user) is written through as before', async () => {
  const input = join(work, 'root-in'), real = join(work, 'root-real'), link = join(work, 'root-link');
  mkdirSync(join(input, 'sub'), { recursive: true });
  copyFileSync(SLICE, join(input, 'sub', 'x.dcm'));
  mkdirSync(real);
  symlinkSync(real, link);
  const summary = await runBatch({ input, output: link, recursive: true, plan: basicProfilePlan([]), secret: SECRET, jobs: 1, log: () => {} });
  assert.equal(summary.ok, 1);
  assert.ok(existsSync(join(real, 'sub', 'x.dcm')));
});
