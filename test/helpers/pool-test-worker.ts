// A worker for the pool tests: doubles numbers (or answers its thread id), and dies on the ones it is told to
// (exit or uncaught throw).

import { threadId } from 'node:worker_threads';
import { servePool } from '../../src/batch/pool.js';

interface Setup {
  exitOn: number[];
  throwOn: number[];
  failSetup: boolean;
  answerThreadId?: boolean;
}

servePool<number, number>((data) => {
  const setup = data as Setup;
  if (setup.failSetup) throw new Error('setup failed');
  return (task) => {
    if (setup.exitOn.includes(task)) process.exit(7);
    if (setup.throwOn.includes(task)) throw new Error(`task ${task} blew up`);
    return setup.answerThreadId ? threadId : task * 2;
  };
});
