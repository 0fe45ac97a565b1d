// A small pool over node:worker_threads: N workers, each fed batches of tasks (up to `depth` batches at a time)
// from a queue; results come back a batch at a time, in completion order. One message per batch, not per task:
// a message costs tens of microseconds on both sides, as much as anonymizing a small file.
// A worker that dies fails the one task it was processing (via `onCrash`), is replaced, and every other task it
// held is done again elsewhere. Which task that was, the worker writes into shared memory before it starts each one.
// Works from built JavaScript (dist/) and from TypeScript sources under tsx (the tests).

import { parentPort, Worker, workerData } from 'node:worker_threads';

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

export interface PoolOptions {
  worker: WorkerEntry;
  /** Most workers at once. */
  size: number;
  /** How many to start right away (default `size`); `run` starts the rest when there are tasks enough. */
  prestart?: number;
  /** Handed to the worker's setup (see servePool). */
  workerData: unknown;
  /** Batches sent to one worker before its first answer (keeps workers busy while results travel). Default 2. */
  depth?: number;
}

export interface RunOptions<T, R> {
  /** How many tasks `tasks` holds: batches shrink towards the end so that the workers finish together. */
  total: number;
  /**
   * How many tasks are left to hand out, when others (the main thread, mixed.ts) take tasks from the same iterator;
   * default: `total` less those this pool took.
   */
  remaining?: () => number;
  /** Most tasks in one batch. Default 1. */
  batchSize?: number;
  /** A task's weight (bytes, say) and the most weight one batch may carry beyond its first task. */
  cost?: (task: T) => number;
  maxBatchCost?: number;
  onResult: (result: R, task: T) => void;
  /** The result standing for a task whose worker died while processing it. */
  onCrash: (task: T, error: Error) => R;
  /** Checked before each dispatch: true stops feeding tasks (tasks in flight still finish). */
  shouldStop?: () => boolean;
}

/** What the main thread hands each worker. */
interface PoolWorkerData {
  setup: unknown;
  /** [sequence number of the batch being processed, index of its task being processed (length when done)]. */
  position: SharedArrayBuffer;
}

interface BatchMessage<T> {
  seq: number;
  tasks: T[];
}

interface ResultMessage<R> {
  seq: number;
  results: R[];
}

interface Slot<T> {
  worker: Worker;
  inFlight: BatchMessage<T>[];
  position: Int32Array;
  dead: boolean;
}

/**
 * N worker threads, started by the constructor (they load their modules while the caller still lists the
 * inputs), then fed by `run`. `close` stops them; call it whatever happens.
 */
export class WorkerPool<T, R> {
  private readonly slots = new Set<Slot<T>>();
  private readonly depth: number;
  /** The current run's handlers (workers started before `run` only wait for messages). */
  private current: {
    onMessage: (slot: Slot<T>, message: ResultMessage<R>) => void;
    onDeath: (slot: Slot<T>, error: Error) => void;
  } | null = null;
  /** Workers in a row that died before starting any task: a broken setup, not a bad file. */
  private setupFailures = 0;
  private closed = false;

  /** How many workers the pool keeps running. */
  get size(): number {
    return Math.max(1, this.options.size);
  }

  constructor(private readonly options: PoolOptions) {
    this.depth = Math.max(1, options.depth ?? 2);
    const prestart = Math.min(this.size, Math.max(1, options.prestart ?? this.size));
    for (let i = 0; i < prestart; i++) this.start();
  }

  private start(): Slot<T> {
    const position = new SharedArrayBuffer(8);
    const data: PoolWorkerData = { setup: this.options.workerData, position };
    const worker = new Worker(this.options.worker.entry, { workerData: data, eval: this.options.worker.eval });
    const slot: Slot<T> = { worker, inFlight: [], position: new Int32Array(position), dead: false };
    this.slots.add(slot);
    worker.on('message', (message: ResultMessage<R>) => this.current?.onMessage(slot, message));
    const die = (error: Error): void => {
      if (slot.dead || this.closed) return;
      slot.dead = true;
      this.slots.delete(slot);
      // Batch sequence numbers start at 1: 0 means the worker never started a task.
      if (Atomics.load(slot.position, 0) === 0) this.setupFailures++;
      else this.setupFailures = 0;
      this.current?.onDeath(slot, error);
    };
    worker.on('error', (error) => die(error));
    worker.on('exit', (code) => die(new Error(`worker stopped (exit code ${code})`)));
    return slot;
  }

  /** Runs every task of `tasks` (pulled lazily) through the pool; resolves when all dispatched tasks are done. */
  run(tasks: Iterator<T>, options: RunOptions<T, R>): Promise<void> {
    const depth = this.depth;
    const batchSize = Math.max(1, options.batchSize ?? 1);
    const maxCost = options.maxBatchCost ?? Infinity;
    let exhausted = false;
    let pending: T[] = [];
    let dispatched = 0;
    let seq = 0;
    const next = (): T | undefined => {
      if (pending.length > 0) return pending.shift();
      if (exhausted || options.shouldStop?.()) return undefined;
      const r = tasks.next();
      if (r.done) {
        exhausted = true;
        return undefined;
      }
      dispatched++;
      return r.value;
    };
    /** Peeks at the next task without taking it (for the batch cost limit). */
    const peek = (): T | undefined => {
      const t = next();
      if (t !== undefined) pending.unshift(t);
      return t;
    };
    const nextBatch = (): T[] => {
      // Guided sizes: a share of what is left, so the last batches are single tasks and no worker idles long.
      const left = Math.max(0, options.remaining?.() ?? options.total - dispatched) + pending.length;
      const size = Math.max(1, Math.min(batchSize, Math.ceil(left / (Math.max(1, this.slots.size) * 4))));
      const batch: T[] = [];
      let cost = 0;
      while (batch.length < size) {
        const t = batch.length === 0 ? next() : peek();
        if (t === undefined) break;
        if (batch.length > 0) {
          const c = options.cost?.(t) ?? 0;
          if (cost + c > maxCost) break;
          pending.shift();
          cost += c;
        }
        batch.push(t);
      }
      return batch;
    };

    return new Promise<void>((resolve, reject) => {
      let finished = false;
      const finishIfIdle = (): void => {
        if (finished) return;
        for (const s of this.slots) if (s.inFlight.length > 0) return;
        if (pending.length > 0 && !options.shouldStop?.()) return;
        finished = true;
        this.current = null;
        resolve();
      };
      const feed = (slot: Slot<T>): void => {
        while (!slot.dead && slot.inFlight.length < depth) {
          const batch = nextBatch();
          if (batch.length === 0) break;
          const message: BatchMessage<T> = { seq: ++seq, tasks: batch };
          slot.inFlight.push(message);
          slot.worker.postMessage(message);
        }
      };
      this.current = {
        onMessage: (slot, message) => {
          const i = slot.inFlight.findIndex((b) => b.seq === message.seq);
          if (i < 0) return;
          const [batch] = slot.inFlight.splice(i, 1);
          message.results.forEach((result, k) => options.onResult(result, batch.tasks[k]));
          feed(slot);
          finishIfIdle();
        },
        onDeath: (slot, error) => {
          if (this.setupFailures >= 3) {
            // Workers die before doing anything: a broken setup, not a bad file. Give up on the whole pool.
            finished = true;
            this.current = null;
            reject(error);
            return;
          }
          // The task being processed is the culprit; every other task held (finished but not yet reported, or not
          // started) is done again elsewhere: outputs are deterministic and written atomically.
          const busySeq = Atomics.load(slot.position, 0);
          const busyIndex = Atomics.load(slot.position, 1);
          let culprit: T | undefined;
          const again: T[] = [];
          for (const batch of slot.inFlight) {
            batch.tasks.forEach((task, k) => {
              if (batch.seq === busySeq && k === busyIndex) culprit = task;
              else again.push(task);
            });
          }
          slot.inFlight = [];
          pending = [...again, ...pending];
          if (culprit !== undefined) options.onResult(options.onCrash(culprit, error), culprit);
          if ((pending.length > 0 || !exhausted) && !options.shouldStop?.()) feed(this.start());
          finishIfIdle();
        },
      };
      // As many workers as there is work for: idle extra ones stop, missing ones (not started yet, or died while
      // the caller was still listing inputs) start now.
      const want = Math.max(1, Math.min(this.size, options.total));
      for (const slot of [...this.slots].slice(want)) this.retire(slot);
      while (this.slots.size < want && this.setupFailures < 3) this.start();
      if (this.setupFailures >= 3) {
        this.current = null;
        reject(new Error('the worker threads stopped before they could start'));
        return;
      }
      for (const s of this.slots) feed(s);
      finishIfIdle();
    });
  }

  /** Stops an idle worker for good (not a death: nothing is retried). */
  private retire(slot: Slot<T>): void {
    slot.dead = true;
    this.slots.delete(slot);
    void slot.worker.terminate();
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    this.current = null;
    await Promise.all([...this.slots].map((s) => s.worker.terminate()));
    this.slots.clear();
  }
}

/**
 * The worker side: call once in the worker module. `makeHandler` gets the pool's `workerData` and returns the
 * function that turns one task into its result (or a promise of it); batches are answered in one message each, one
 * batch and one task at a time, in the order they came (an async handler never overlaps two tasks, so the position
 * in shared memory always names the task being processed). A handler that throws (or rejects) kills the worker,
 * like an uncaught error: the pool fails that one task and redoes the others.
 */
export function servePool<T, R>(makeHandler: (setup: unknown) => (task: T) => R | Promise<R>): void {
  const port = parentPort;
  if (!port) return;
  const data = workerData as PoolWorkerData;
  const position = new Int32Array(data.position);
  const handle = makeHandler(data.setup);
  const serve = async (message: BatchMessage<T>): Promise<void> => {
    Atomics.store(position, 0, message.seq);
    const results: R[] = [];
    for (let k = 0; k < message.tasks.length; k++) {
      Atomics.store(position, 1, k);
      const result = handle(message.tasks[k]);
      results.push(result instanceof Promise ? await result : result);
    }
    Atomics.store(position, 1, message.tasks.length);
    port.postMessage({ seq: message.seq, results } satisfies ResultMessage<R>);
  };
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (message: BatchMessage<T>) => {
    queue = queue.then(() => serve(message));
    // Rethrown outside the promise: an uncaught exception stops the worker, as a throwing sync handler always did.
    queue.catch((error: unknown) => process.nextTick(() => { throw error; }));
  });
}
