// One command's wall time, CPU (user + system of the process and every thread and child) and peak RSS, through
// /usr/bin/time, and the order of runs: what the batch benches (bench-batch.ts, bench-launch.ts) measure with.

import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

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
