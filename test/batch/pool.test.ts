// The worker pool: batches, every task answered exactly once, a dying worker blamed for the one task it was on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siblingWorker, WorkerPool } from '../../src/batch/pool.js';

const WORKER = siblingWorker('pool-test-worker', new URL('../helpers/pool-test-worker.ts', import.meta.url).href);

async function runNumbers(count: number, setup: { exitOn?: number[]; throwOn?: number[]; failSetup?: boolean }, batchSize: number, size = 2) {
  const pool = new WorkerPool<number, number>({
    worker: WORKER, size, workerData: { exitOn: setup.exitOn ?? [], throwOn: setup.throwOn ?? [], failSetup: setup.failSetup ?? false },
  });
  return runAndCollect(pool, count, batchSize);
}

/** Runs tasks 0..count-1 on `runner` (then closes it): every result per task, and the tasks reported crashed (-1). */
async function runAndCollect(runner: Pick<WorkerPool<number, number>, 'run' | 'close'>, count: number, batchSize: number) {
  const results = new Map<number, number[]>();
  const crashed: number[] = [];
  const tasks = Array.from({ length: count }, (_, i) => i);
  try {
    await runner.run(tasks[Symbol.iterator](), {
      total: count,
      batchSize,
      onResult: (result, task) => results.set(task, [...(results.get(task) ?? []), result]),
      onCrash: (task) => {
        crashed.push(task);
        return -1;
      },
    });
  } finally {
    await runner.close();
  }
  return { results, crashed };
}

test('every task is answered exactly once, in batches, by any number of workers', async () => {
  for (const [size, batchSize] of [[1, 1], [2, 8], [3, 32]]) {
    const { results, crashed } = await runNumbers(200, {}, batchSize, size);
    assert.equal(results.size, 200);
    for (const [task, got] of results) assert.deepEqual(got, [task * 2], `task ${task} (${size} workers, batches of ${batchSize})`);
    assert.deepEqual(crashed, []);
  }
});

test('a worker that exits is blamed for its current task only; the tasks it held are done again elsewhere', async () => {
  const { results, crashed } = await runNumbers(300, { exitOn: [37, 211] }, 16);
  assert.deepEqual(crashed.sort((a, b) => a - b), [37, 211]);
  assert.equal(results.size, 300);
  for (const [task, got] of results) assert.deepEqual(got, [crashed.includes(task) ? -1 : task * 2], `task ${task}`);
});

test('an uncaught error in a worker fails that task and the batch goes on', async () => {
  const { results, crashed } = await runNumbers(120, { throwOn: [0, 5, 119] }, 8, 1);
  assert.deepEqual(crashed.sort((a, b) => a - b), [0, 5, 119]);
  for (const [task, got] of results) assert.deepEqual(got, [crashed.includes(task) ? -1 : task * 2], `task ${task}`);
  assert.equal(results.size, 120);
});

test('workers that cannot even start reject the run instead of looping', async () => {
  await assert.rejects(runNumbers(10, { failSetup: true }, 4), /setup failed|stopped/);
});

test('the pool runs min(size, tasks) workers, started up front or when the run begins', async () => {
  const threadsUsed = async (size: number, prestart: number, count: number): Promise<number> => {
    const pool = new WorkerPool<number, number>({
      worker: WORKER, size, prestart, workerData: { exitOn: [], throwOn: [], failSetup: false, answerThreadId: true },
    });
    const threads = new Set<number>();
    try {
      await pool.run(Array.from({ length: count }, (_, i) => i)[Symbol.iterator](), {
        total: count, batchSize: 1, onResult: (id) => threads.add(id), onCrash: () => -1,
      });
    } finally {
      await pool.close();
    }
    return threads.size;
  };
  assert.ok(await threadsUsed(8, 8, 2) <= 2, 'two tasks never reach more than two workers');
  assert.equal(await threadsUsed(3, 1, 300), 3, 'workers not started up front join when the run begins');
});

test('mixed: the main thread and the workers share one batch; every task answered once, a dying worker blamed for its task only', async () => {
  const { InlineRunner } = await import('../../src/batch/inline.js');
  const { MixedRunner } = await import('../../src/batch/mixed.js');
  const exitOn = [500, 1500];
  const pool = new WorkerPool<number, number>({ worker: WORKER, size: 1, workerData: { exitOn, throwOn: [], failSetup: false } });
  // The main thread's share: the same answer as the worker's, a little slower, so that both get tasks.
  const inline = new InlineRunner<number, number>(async () => (task) => {
    const until = performance.now() + 0.02;
    while (performance.now() < until) { /* work */ }
    return task * 2;
  });
  const mixed = new MixedRunner(pool, inline);
  assert.equal(mixed.size, 2);
  const { results, crashed } = await runAndCollect(mixed, 3000, 16);
  assert.equal(results.size, 3000);
  for (const [task, got] of results) assert.deepEqual(got, [crashed.includes(task) ? -1 : task * 2], `task ${task}`);
  assert.ok(crashed.every((t) => exitOn.includes(t)), `only the tasks a worker died on fail: ${crashed}`);
  assert.ok(inline.processed > 0 && inline.processed < 3000, `the main thread did ${inline.processed} of 3000`);
  assert.ok(3000 - inline.processed - crashed.length > 0, 'the worker did some');
});

test('mixed: workers that cannot start fail the run, and the main thread stops taking tasks first', async () => {
  const { InlineRunner } = await import('../../src/batch/inline.js');
  const { MixedRunner } = await import('../../src/batch/mixed.js');
  const pool = new WorkerPool<number, number>({ worker: WORKER, size: 1, workerData: { exitOn: [], throwOn: [], failSetup: true } });
  const inline = new InlineRunner<number, number>(async () => (task) => {
    const until = performance.now() + 1;
    while (performance.now() < until) { /* work */ }
    return task * 2;
  });
  const mixed = new MixedRunner(pool, inline);
  const tasks = Array.from({ length: 100_000 }, (_, i) => i);
  let results = 0;
  try {
    await assert.rejects(mixed.run(tasks[Symbol.iterator](), {
      total: tasks.length, batchSize: 4, onResult: () => { results++; }, onCrash: () => -1,
    }), /setup failed|stopped/);
  } finally {
    await mixed.close();
  }
  const after = results;
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(results, after, 'nothing is processed after the run failed');
  assert.ok(inline.processed < tasks.length, `the main thread stopped early (${inline.processed} done)`);
});
