// Access to ../shared/corpus (read-only) and its manifest, for tests that run over real files.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { IN_CI, runTool } from './tools.js';

const here = dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = resolve(process.env.DICOM_CORPUS_DIR ?? join(here, '..', '..', '..', 'shared', 'corpus'));
export const REFERENCE_DIR = resolve(join(here, '..', '..', '..', 'shared', 'reference'));

export interface CorpusEntry {
  path: string;
  dcmdump: 'OK' | 'WARN' | 'FAIL';
  ts: string;
  meta: boolean;
  preamble: boolean;
  encap: boolean;
  features: string[];
  charset: string | null;
  modality: string;
  size: number;
  dciodvfy_err: number;
}

export function corpusAvailable(): boolean {
  return existsSync(join(CORPUS_DIR, 'manifest.json'));
}

/**
 * Whether a test that adds corpus files when it can should add them: when they are here, and always under CI=true
 * (where the missing corpus then fails the test instead of quietly shrinking it).
 */
export function corpusWanted(): boolean {
  return corpusAvailable() || IN_CI;
}

export function corpusEntries(): CorpusEntry[] {
  if (!corpusAvailable()) assert.fail(`the test corpus is not here (${CORPUS_DIR}/manifest.json)${IN_CI ? ' (CI=true: a test that needs it fails rather than skipping)' : ''}`);
  return JSON.parse(readFileSync(join(CORPUS_DIR, 'manifest.json'), 'utf8')) as CorpusEntry[];
}

export const corpusPath = (entry: CorpusEntry): string => join(CORPUS_DIR, entry.path);

/** Runs a command and resolves with its exit code and output (never rejects on a non-zero exit). */
export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** How stdout and stderr are decoded; latin1 by default (dcmdump output is bytes). */
  encoding?: BufferEncoding;
}

export function run(cmd: string, args: string[], timeoutMs = 60_000, options: RunOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const encoding = options.encoding ?? 'latin1';
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd, env: options.env });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout: Buffer.concat(out).toString(encoding), stderr: Buffer.concat(err).toString(encoding) });
    });
    child.on('error', () => resolvePromise({ code: -1, stdout: '', stderr: `${cmd} not found` }));
  });
}

/** Maps over items with at most `limit` promises in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return results;
}

/** A dcmdump line of a data element: "(0008,0016) UI [...]". */
const ELEMENT_LINE = /^\s*\([0-9a-f]{4},[0-9a-f]{4}\) /m;

/**
 * `dcmdump +L` output without the lines that legitimately change on a rewrite (meta group length). Fails the test
 * unless dcmdump exited with 0 and dumped at least one element, and every line of `mustContain` (e.g. "(0008,0016)")
 * is there: two empty dumps must never compare equal.
 */
export async function dumpForComparison(path: string, mustContain: string[] = []): Promise<string> {
  const { stdout } = await runTool('dcmdump', ['+L', '-q', path], { output: ELEMENT_LINE });
  for (const tag of mustContain) assert.ok(stdout.includes(`\n${tag} `) || stdout.startsWith(`${tag} `), `dcmdump of ${path} has no ${tag} line`);
  return stdout.split('\n').filter((l) => !l.startsWith('(0002,0000)')).join('\n');
}

/** dcmdump reads the file without error (exit status 0) and dumps its elements. */
export async function dcmdumpClean(path: string): Promise<boolean> {
  const { code, stdout, stderr } = await runTool('dcmdump', ['-E', '-q', path], { codes: [0, 1], output: null });
  return code === 0 && ELEMENT_LINE.test(stdout) && !/^[EW]:/m.test(stderr + stdout);
}

/** For a test's `skip` option: why the corpus tests cannot run here, or false. */
export function corpusSkip(): string | false {
  return sharedDataSkip(corpusAvailable() ? false : `the test corpus is not here (${CORPUS_DIR}/manifest.json; set DICOM_CORPUS_DIR to use another copy)`);
}

/**
 * For a test's `skip` option over data from ../shared (the corpus, the reference folder): the reason when it is
 * missing and CI is not set; false under CI=true, so the test runs and fails on the missing data, as a test whose tool
 * is missing does (tools.ts).
 */
export function sharedDataSkip(reason: string | false): string | false {
  if (reason === false || IN_CI) return false;
  return `${reason} (with CI=true this test fails)`;
}
