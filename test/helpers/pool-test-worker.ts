// A worker for the pool tests: doubles numbers, and dies on the ones it is told to (exit or uncaught throw).

import { servePool } from '../../src/batch/pool.js';

interface Setup {
  exitOn: number[];
  throwOn: number[];
  failSetup: boolean;
}

servePool<number, number>((data) => {
  const setup = data as Setup;
  if (setup.failSetup) throw new Error('setup failed');
  return (task) => {
    if (setup.exitOn.includes(task)) process.exit(7);
    if (setup.throwOn.includes(task)) throw new Error(`task ${task} blew up`);
    return task * 2;
  };
});
