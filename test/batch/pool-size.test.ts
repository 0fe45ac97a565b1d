// How many workers a batch gets from the work at hand (src/batch/pool-size.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { workersFor } from '../../src/batch/pool-size.js';

const noBytes = (): number => 0;

test('one worker (the main thread) for a small batch, --jobs for a large one', () => {
  assert.equal(workersFor(0, 8, noBytes), 1);
  assert.equal(workersFor(1, 8, () => 10e9), 1, 'one file is one worker\'s work, however big');
  assert.equal(workersFor(20, 8, noBytes), 1);
  assert.equal(workersFor(624, 2, () => 99e6), 1, 'the corpus: about 0.7 s of work');
  assert.equal(workersFor(10_000, 2, noBytes), 2);
  assert.equal(workersFor(10_000, 64, noBytes), 20);
  assert.equal(workersFor(4, 2, () => 2e9), 2, 'four 500 MB files');
});

test('sizes are looked up only when the file count alone does not give --jobs workers', () => {
  let asked = 0;
  const bytes = (): number => {
    asked++;
    return 0;
  };
  workersFor(10_000, 2, bytes);
  assert.equal(asked, 0);
  workersFor(300, 2, bytes);
  assert.equal(asked, 1);
});

test('never fewer than 1, never more than --jobs or the files, more work never fewer workers', () => {
  fc.assert(fc.property(fc.nat(100_000), fc.integer({ min: 1, max: 64 }), fc.nat(1e12), fc.nat(1000), (files, jobs, bytes, more) => {
    const n = workersFor(files, jobs, () => bytes);
    assert.ok(n >= 1 && n <= Math.max(1, Math.min(jobs, files)));
    assert.ok(workersFor(files + more, jobs, () => bytes) >= n);
  }));
});

test('under redact, at-risk images count as the heavy work they are: three at-risk 512² images get two workers', () => {
  assert.equal(workersFor(2, 2, noBytes), 1, 'two metadata-only files: the main thread alone');
  assert.equal(workersFor(2, 2, noBytes, () => 2), 1, 'two at-risk images: less than a second engine load pays back');
  assert.equal(workersFor(3, 2, noBytes, () => 3), 2, 'three at-risk images: both cores');
  assert.equal(workersFor(88, 2, () => 20e6, () => 88), 2, 'the issue\'s 88 at-risk images: both cores (was 1)');
  assert.equal(workersFor(20, 8, noBytes, () => 0), 1, 'nothing at risk: as before');
  let asked = 0;
  workersFor(10_000, 2, noBytes, () => (asked++, 0));
  assert.equal(asked, 0, 'a batch large enough already is not sampled');
});
