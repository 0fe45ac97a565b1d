// --shard auto/N and --shard auto: the shard index (and count) from the array engine that started this process, so
// one command line serves every task of a Slurm job array, a Kubernetes Indexed Job or an AWS Batch array job.
// Refused (UsageError, exit 1) when no engine variable is set, when two engines disagree, or when the engine's count
// and N differ: a task that guessed its shard would process another task's files or none.

import { UsageError } from '../files/usage-error.js';

/** What one engine says about this task: its 0-based index and, where the engine gives it, the count of tasks. */
interface EngineTask {
  engine: string;
  index: number;
  count: number | undefined;
}

function integer(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === '') return undefined;
  if (!/^\s*\d+\s*$/.test(text)) throw new UsageError(`--shard auto: ${name} is "${text}", not a whole number`);
  return Number(text);
}

/** The engines whose variables are set, each read by its own rule. */
function engineTasks(env: NodeJS.ProcessEnv): EngineTask[] {
  const tasks: EngineTask[] = [];
  const slurmId = integer(env, 'SLURM_ARRAY_TASK_ID');
  if (slurmId !== undefined) {
    // Slurm numbers tasks as the --array range says (e.g. 1-4 or 0-3): the index is counted from the range's start.
    // A stepped or sparse range (--array=0-6:2, 1,5) does not number tasks 0..N-1: refused below by the count check.
    const min = integer(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    const count = integer(env, 'SLURM_ARRAY_TASK_COUNT');
    const max = integer(env, 'SLURM_ARRAY_TASK_MAX');
    if (count !== undefined && max !== undefined && max - min + 1 !== count) {
      throw new UsageError(`--shard auto: the Slurm array is not one contiguous range (SLURM_ARRAY_TASK_MIN=${min}, SLURM_ARRAY_TASK_MAX=${max}, SLURM_ARRAY_TASK_COUNT=${count}): submit it as --array=0-${count - 1}`);
    }
    tasks.push({ engine: 'Slurm (SLURM_ARRAY_TASK_ID)', index: slurmId - min, count });
  }
  const k8s = integer(env, 'JOB_COMPLETION_INDEX');
  if (k8s !== undefined) tasks.push({ engine: 'Kubernetes (JOB_COMPLETION_INDEX)', index: k8s, count: undefined });
  const aws = integer(env, 'AWS_BATCH_JOB_ARRAY_INDEX');
  if (aws !== undefined) tasks.push({ engine: 'AWS Batch (AWS_BATCH_JOB_ARRAY_INDEX)', index: aws, count: integer(env, 'AWS_BATCH_JOB_ARRAY_SIZE') });
  return tasks;
}

/**
 * The shard of this task: `count` is N from --shard auto/N, undefined for --shard auto (the engine must then give
 * it: Slurm and AWS Batch do, a Kubernetes Indexed Job does not: its completions are not in the pod's environment).
 */
export function engineShard(count: number | undefined, env: NodeJS.ProcessEnv = process.env): { index: number; count: number } {
  if (count !== undefined && (!Number.isSafeInteger(count) || count < 1)) throw new UsageError('--shard auto/N: N must be at least 1');
  const tasks = engineTasks(env);
  if (tasks.length === 0) {
    throw new UsageError('--shard auto: no array engine variable is set (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX); give the shard as --shard K/N');
  }
  const [first] = tasks;
  for (const other of tasks.slice(1)) {
    if (other.index !== first.index) {
      throw new UsageError(`--shard auto: ${first.engine} says task ${first.index} but ${other.engine} says ${other.index}; give the shard as --shard K/N`);
    }
  }
  const engineCount = tasks.find((t) => t.count !== undefined);
  if (count === undefined && engineCount === undefined) {
    throw new UsageError(`--shard auto: ${first.engine} does not give the number of tasks; use --shard auto/N with N the job's completions`);
  }
  if (count !== undefined && engineCount !== undefined && engineCount.count !== count) {
    throw new UsageError(`--shard auto/${count}: ${engineCount.engine.split(' ')[0]} runs ${engineCount.count} tasks, not ${count}; every task must be started with the same N as the array has tasks`);
  }
  const n = count ?? engineCount!.count!;
  if (n < 1) throw new UsageError(`--shard auto: ${engineCount!.engine.split(' ')[0]} says the array has ${n} tasks`);
  if (first.index < 0 || first.index >= n) {
    throw new UsageError(`--shard auto/${n}: ${first.engine} gives index ${first.index}, outside 0..${n - 1}; submit the array as 0..${n - 1} tasks`);
  }
  return { index: first.index, count: n };
}
