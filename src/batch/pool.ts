// A small pool over node:worker_threads: N workers, each fed up to `depth` tasks at a time from a queue; results
// come back in completion order. A worker that dies fails its in-flight tasks (via `onCrash`) and is replaced.
// Works from built JavaScript (dist/) and from TypeScript sources under tsx (the tests).

import { Worker } from 'node:worker_threads';

/** How to start a worker: a module file, or (TypeScript under tsx) a small script that imports it. */
export interface WorkerEntry {
  entry: URL | string;
  eval: boolean;
}

/**
 * The worker module beside `fromUrl` (a module URL): worker.js in dist/, or worker.ts under tsx. On Node 20 a
 * worker started with execArgv ['--import', 'tsx'] still cannot load a .ts entry ("Unknown file extension"), so a
 * .ts worker is started from an eval'd script that registers tsx's loader first and then imports the module.
 */
export function siblingWorker(name: string, fromUrl: string): WorkerEntry {
  if (!fromUrl.endsWith('.ts')) return { entry: new URL(`./${name}.js`, fromUrl), eval: false };
  const href = new URL(`./${name}.ts`, fromUrl).href;
  return {
    entry: `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(href)}); });`,
    eval: true,
  };
}

export interface PoolOptions<T, R> {
  worker: WorkerEntry;
  size: number;
  workerData: unknown;
  /** Tasks sent to one worker before its first answer (keeps workers busy while results travel). Default 2. */
  depth?: number;
  onResult: (result: R, task: T) => void;
  /** The result standing for a task whose worker died. */
  onCrash: (task: T, error: Error) => R;
  /** Checked before each dispatch: true stops feeding tasks (tasks in flight still finish). */
  shouldStop?: () => boolean;
}

interface Slot<T> {
  worker: Worker;
  inFlight: T[];
  dead: boolean;
}

/** Runs every task of `tasks` (pulled lazily) through the pool; resolves when all dispatched tasks are done. */
export function runPool<T, R>(tasks: Iterator<T>, options: PoolOptions<T, R>): Promise<void> {
  const depth = Math.max(1, options.depth ?? 2);
  let exhausted = false;
  let pending: T[] = [];
  const next = (): T | undefined => {
    if (pending.length > 0) return pending.shift();
    if (exhausted || options.shouldStop?.()) return undefined;
    const r = tasks.next();
    if (r.done) {
      exhausted = true;
      return undefined;
    }
    return r.value;
  };

  return new Promise<void>((resolve, reject) => {
    const slots = new Set<Slot<T>>();
    let finished = false;

    const finishIfIdle = (): void => {
      if (finished) return;
      for (const s of slots) if (s.inFlight.length > 0) return;
      if (pending.length > 0 && !options.shouldStop?.()) return;
      finished = true;
      Promise.all([...slots].map((s) => s.worker.terminate())).then(() => resolve(), reject);
    };

    const feed = (slot: Slot<T>): void => {
      while (!slot.dead && slot.inFlight.length < depth) {
        const task = next();
        if (task === undefined) break;
        slot.inFlight.push(task);
        slot.worker.postMessage(task);
      }
    };

    let deathsBeforeAnswer = 0;
    const start = (): Slot<T> => {
      const worker = new Worker(options.worker.entry, { workerData: options.workerData, eval: options.worker.eval });
      const slot: Slot<T> = { worker, inFlight: [], dead: false };
      slots.add(slot);
      let answered = false;
      worker.on('message', (result: R) => {
        answered = true;
        deathsBeforeAnswer = 0;
        const task = slot.inFlight.shift();
        if (task === undefined) return;
        options.onResult(result, task);
        feed(slot);
        finishIfIdle();
      });
      const die = (error: Error): void => {
        if (slot.dead) return;
        slot.dead = true;
        slots.delete(slot);
        if (!answered && ++deathsBeforeAnswer >= 3) {
          // Workers die before doing anything: a broken setup, not a bad file. Give up on the whole pool.
          finished = true;
          Promise.all([...slots].map((s) => s.worker.terminate())).finally(() => reject(error));
          return;
        }
        const lost = slot.inFlight;
        slot.inFlight = [];
        // The first lost task is the one being processed; the others never started: retry them elsewhere.
        const [culprit, ...untouched] = lost;
        pending = [...untouched, ...pending];
        if (culprit !== undefined) options.onResult(options.onCrash(culprit, error), culprit);
        if (!finished && (pending.length > 0 || !exhausted) && !options.shouldStop?.()) feed(start());
        finishIfIdle();
      };
      worker.on('error', (error) => die(error));
      worker.on('exit', (code) => {
        if (!finished) die(new Error(`worker stopped (exit code ${code})`));
      });
      return slot;
    };

    for (let i = 0; i < Math.max(1, options.size); i++) start();
    for (const s of slots) feed(s);
    finishIfIdle();
  });
}
