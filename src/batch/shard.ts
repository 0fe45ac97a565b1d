// --shard K/N: a deterministic subset of the inputs, so N machines (a Kubernetes Indexed Job, a Slurm array) can
// share one batch. A file belongs to shard sha256(relative path) mod N; the union of the N shards is the whole run.

import { createHash } from 'node:crypto';
import { sep } from 'node:path';
import { UsageError } from '../files/usage-error.js';
import { engineShard } from './engine-shard.js';

export interface Shard {
  /** 0-based: 0 ≤ index < count. */
  index: number;
  count: number;
}

/**
 * Parses "K/N" (0 ≤ K < N), or "auto/N" and "auto", where the array engine running this process gives K (and N):
 * see engineShard (engine-shard.ts).
 */
export function parseShard(text: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const auto = /^\s*auto\s*(?:\/\s*(\d+)\s*)?$/.exec(text);
  if (auto) return engineShard(auto[1] === undefined ? undefined : Number(auto[1]), env);
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UsageError(`--shard takes K/N (e.g. 0/4), auto/N or auto, not "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || count < 1) throw new UsageError('--shard K/N: N must be at least 1');
  if (index >= count) throw new UsageError(`--shard K/N: K counts from 0 and must be below N (got ${index}/${count})`);
  return { index, count };
}

/** The shard (0..count-1) of a path relative to the input root; '/'-separated on every platform. */
export function shardOf(relativePath: string, count: number): number {
  const posix = sep === '/' ? relativePath : relativePath.split(sep).join('/');
  const digest = createHash('sha256').update(posix, 'utf8').digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(count));
}

export const inShard = (relativePath: string, shard: Shard | undefined): boolean =>
  shard === undefined || shard.count === 1 || shardOf(relativePath, shard.count) === shard.index;

/** A short label of the shard for temporary file names ("s0of1" without sharding). */
export const shardTag = (shard: Shard | undefined): string => (shard ? `s${shard.index}of${shard.count}` : 's0of1');
