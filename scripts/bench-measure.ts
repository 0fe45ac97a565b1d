// One command's wall time, CPU (user + system of the process and every thread and child) and peak RSS, through
// /usr/bin/time: what the batch benches (bench-batch.ts, bench-launch.ts) measure each run with.

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
