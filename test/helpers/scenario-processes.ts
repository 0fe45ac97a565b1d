// The child processes a network scenario starts (servers, the gateway, dcmtk tools), each with its output kept, all
// killed when the scenario ends; and a bounded wait for a condition. TCP_NODELAY=1 for dcmtk (see issue #27's traps).

import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type StartedProcess = ChildProcess & { text: () => string };

export interface ScenarioProcesses {
  /** Starts `cmd`; its stdout and stderr are kept, in order, for `text()` (and written to `log` when it closes). */
  start(cmd: string, args: string[], log?: string): StartedProcess;
  /** Its exit code once it has exited (-1 when killed by a signal). */
  exited(child: ChildProcess): Promise<number>;
  /** Starts `cmd` and waits for it: its exit code and output. */
  run(cmd: string, args: string[]): Promise<{ code: number; output: string }>;
  /** Kills every process started that is still running. */
  killAll(): void;
}

export function scenarioProcesses(): ScenarioProcesses {
  const children: ChildProcess[] = [];
  const start = (cmd: string, args: string[], log?: string): StartedProcess => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TCP_NODELAY: '1' } }) as StartedProcess;
    let text = '';
    child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
    child.text = () => text;
    if (log !== undefined) child.on('close', () => writeFileSync(log, text));
    children.push(child);
    return child;
  };
  const exited = (c: ChildProcess): Promise<number> => new Promise((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('close', (code) => r(code ?? -1))));
  return {
    start,
    exited,
    async run(cmd, args) {
      const c = start(cmd, args);
      const code = await exited(c);
      return { code, output: c.text() };
    },
    killAll() {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    },
  };
}

/** Waits until `check` holds, polling every 50 ms; throws naming `what` after `ms`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A test file run as `scenario WORK` (inside the namespace it made, test/helpers/netns.ts) runs `scenario` and prints
 * its result, or its error, as one JSON line; returns false when the file runs as the test itself.
 */
export async function runAsScenario(scenario: (work: string) => Promise<Record<string, unknown>>): Promise<boolean> {
  if (process.argv[2] !== 'scenario') return false;
  try {
    process.stdout.write(`${JSON.stringify(await scenario(resolve(process.argv[3])))}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
  }
  return true;
}
