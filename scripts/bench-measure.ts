// One command's wall time, CPU (user + system of the process and every thread and child) and peak RSS, through
// /usr/bin/time, and the order of runs: what the batch benches (bench-batch.ts, bench-launch.ts) measure with.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const TIME_BIN = '/usr/bin/time';

export interface CommandCost {
  seconds: number;
  cpuSeconds: number;
  rssKB: number;
  status: number | null;
}

/** Runs `command` from `cwd` (output ignored), with `env` added to this process's environment. */
export function runMeasured(command: string, args: string[], scratch: string, cwd: string, env: Record<string, string> = {}): CommandCost {
  const timeFile = join(scratch, `time-${Math.random().toString(36).slice(2)}.txt`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(TIME_BIN, ['-f', '%M %U %S', '-o', timeFile, command, ...args], { cwd, stdio: 'ignore', env: { ...process.env, ...env } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
  rmSync(timeFile, { force: true });
  const [rss, user, sys] = lines[lines.length - 1].split(' ').map(Number);
  return { seconds, cpuSeconds: user + sys, rssKB: rss, status: r.status };
}

/**
 * `rounds` rounds that run each of `count` commands once (`run(command)`), the order rotated by one each round: the
 * machine's drift falls on all alike, and no command keeps a round's first place, where a command measured up to 8%
 * slower than the same command later in the round. Returns each command's results, in command order.
 */
export function rotatedRounds<R>(rounds: number, count: number, run: (command: number) => R, onRound?: (round: number) => void): R[][] {
  const all: R[][] = Array.from({ length: count }, () => []);
  for (let round = 0; round < rounds; round++) {
    onRound?.(round);
    for (let k = 0; k < count; k++) {
      const i = (k + round) % count;
      all[i].push(run(i));
    }
  }
  return all;
}

/** The middle value (the upper one of an even count). */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The command-line options the launch benches share (`--rounds N`, `--tmp DIR`: tmpfs when there is one), after
 * checking that /usr/bin/time and the built engine bundle under `repoRoot` are there.
 */
export function launchBenchOptions(repoRoot: string, defaultRounds: number): { rounds: number; scratchBase: string } {
  const args = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  if (!existsSync(TIME_BIN)) throw new Error(`${TIME_BIN} is needed (apt-get install time)`);
  if (!existsSync(join(repoRoot, 'dist', 'launch', 'engine.cjs'))) throw new Error('dist/launch/engine.cjs not found: run npm run build first');
  return {
    rounds: Number(value('--rounds') ?? defaultRounds),
    scratchBase: resolve(value('--tmp') ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir())),
  };
}

/**
 * Exit statuses of a measured batch that still did the whole run: 0, 2 (some inputs failed: the readable corpus holds
 * files the reader now refuses, e.g. data where padding should be) and 4 (some quarantined).
 */
export const BATCH_RAN = new Set([0, 2, 4]);
