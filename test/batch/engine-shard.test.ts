// --shard auto/N and --shard auto: the index (and count) from Slurm, Kubernetes and AWS Batch variables, and the
// refusals (no engine, a wrong N, an index outside the array, engines that disagree).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseShard } from '../../src/batch/shard.js';
import { UsageError } from '../../src/files/usage-error.js';
import { run } from '../helpers/corpus.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(REPO, 'src', 'cli', 'main.ts');
const EXAMPLES = join(REPO, 'examples');

const refused = (text: string, env: NodeJS.ProcessEnv, message: RegExp): void =>
  assert.throws(() => parseShard(text, env), (e: unknown) => e instanceof UsageError && message.test(e.message));

test('Slurm: the index counts from SLURM_ARRAY_TASK_MIN, N from SLURM_ARRAY_TASK_COUNT, for any contiguous range', () => {
  fc.assert(fc.property(fc.nat(1000), fc.integer({ min: 1, max: 64 }), fc.nat(63), (min, count, at) => {
    const k = at % count;
    const env = { SLURM_ARRAY_TASK_ID: String(min + k), SLURM_ARRAY_TASK_MIN: String(min), SLURM_ARRAY_TASK_MAX: String(min + count - 1), SLURM_ARRAY_TASK_COUNT: String(count) };
    assert.deepEqual(parseShard('auto', env), { index: k, count });
    assert.deepEqual(parseShard(`auto/${count}`, env), { index: k, count });
  }));
});

test('Kubernetes Indexed Job: JOB_COMPLETION_INDEX with auto/N; plain auto is refused (the pod is not told N)', () => {
  assert.deepEqual(parseShard('auto/5', { JOB_COMPLETION_INDEX: '3' }), { index: 3, count: 5 });
  refused('auto', { JOB_COMPLETION_INDEX: '3' }, /does not give the number of tasks/);
  refused('auto/3', { JOB_COMPLETION_INDEX: '3' }, /outside 0\.\.2/);
});

test('AWS Batch: AWS_BATCH_JOB_ARRAY_INDEX and AWS_BATCH_JOB_ARRAY_SIZE', () => {
  assert.deepEqual(parseShard('auto', { AWS_BATCH_JOB_ARRAY_INDEX: '9', AWS_BATCH_JOB_ARRAY_SIZE: '10' }), { index: 9, count: 10 });
  refused('auto/4', { AWS_BATCH_JOB_ARRAY_INDEX: '1', AWS_BATCH_JOB_ARRAY_SIZE: '10' }, /runs 10 tasks, not 4/);
});

test('refusals: no engine, a wrong N, a stepped Slurm range, engines that disagree, junk values', () => {
  refused('auto/4', {}, /no array engine variable is set/);
  refused('auto', {}, /no array engine variable is set/);
  refused('auto/3', { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_TASK_COUNT: '4' }, /runs 4 tasks, not 3/);
  refused('auto', { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '6', SLURM_ARRAY_TASK_COUNT: '4' }, /not one contiguous range/);
  refused('auto/4', { SLURM_ARRAY_TASK_ID: '1', JOB_COMPLETION_INDEX: '2' }, /says task 1 but/);
  refused('auto/4', { JOB_COMPLETION_INDEX: 'x' }, /not a whole number/);
  refused('auto/0', { JOB_COMPLETION_INDEX: '0' }, /at least 1/);
  refused('automatic', {}, /takes K\/N/);
});

test('K/N is unchanged and ignores the engine variables', () => {
  assert.deepEqual(parseShard('2/4', { SLURM_ARRAY_TASK_ID: '0' }), { index: 2, count: 4 });
});

test('the command refuses a wrong N from a Slurm array task: exit 1, the reason on stderr, nothing written', async () => {
  const work = mkdtempSync(join(tmpdir(), 'dicomanon-auto-shard-'));
  try {
    const env = { ...process.env, DICOM_ANONYMIZER_KEY: 'engine-shard-test-key-0123456789', SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_TASK_COUNT: '4' };
    const r = await run(process.execPath, ['--import', 'tsx', MAIN, '-i', EXAMPLES, '-o', join(work, 'out'), '-r', '--shard', 'auto/3'], 60_000, { env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Slurm runs 4 tasks, not 3/);
    assert.equal(existsSync(join(work, 'out')), false);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
