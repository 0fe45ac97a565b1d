// Runs the command line in this process (cli/program.ts main) and captures what it prints: the cheap way to test
// messages and exit codes without starting a Node process per case.

import { main } from '../../src/cli/program.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `dicom-anonymizer ...args` in-process; stdout and stderr are captured, not shown. Calls are serialised. */
export async function cliInProcess(...args: string[]): Promise<CliResult> {
  const previous = queue;
  let release!: () => void;
  queue = new Promise<void>((r) => (release = r));
  await previous;
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    release();
  }
}

let queue: Promise<void> = Promise.resolve();
