// External tools (DCMTK dcmdump/dcmconv, dicom3tools dciodvfy/dcentvfy, GDCM gdcmanon/gdcmconv) for the tests that
// compare with them. A test that uses a tool must know that the tool really ran, or its green means nothing: with
// no dcmdump, two empty dumps compare equal and zero dciodvfy errors on both sides look like "no new errors".
//
// - toolProblem(name): probes the tool once on examples/ct/slice-001.dcm (committed in the repository) and returns
//   why it does not work (missing, wrong exit status, empty or unexpected output), or null when it works.
// - skipUnlessTools(...names): for a test's `skip` option. Without CI it is the reason (printed by the runner as
//   "# SKIP <reason>"); with CI=true it is false, so the test runs and requireTools() makes it fail.
// - requireTools(...names): first line of such a test; throws the reason when a tool does not work.
// - runTool(name, args, expect): runs the tool and fails the test unless the exit status is the expected one and
//   the output is non-empty (or matches `output`). Every tool call in the tests goes through it.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type RunOptions } from './corpus.js';

export type ToolName = 'dcmdump' | 'dciodvfy' | 'dcentvfy' | 'dcmconv' | 'gdcmanon' | 'gdcmconv' | 'dcmcjpeg' | 'dcmdjpeg' | 'dcmdjpls' | 'dcmdrle' | 'tesseract';

const here = dirname(fileURLToPath(import.meta.url));
/** A small valid CT image from the repository (scripts/make-examples.ts). */
export const PROBE_FILE = resolve(here, '..', '..', 'examples', 'ct', 'slice-001.dcm');

/** CI=true (or 1): a missing or broken tool fails the tests that need it instead of skipping them. */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

interface Probe {
  args: (scratch: string) => string[];
  /** Exit status a working tool gives on the probe. */
  code: number;
  /** Text a working tool prints on the probe (stdout and stderr together). */
  output: RegExp;
  /** An extra check on what the tool wrote. */
  after?: (scratch: string) => string | null;
}

const PROBES: Record<ToolName, Probe> = {
  // The dump of a CT image names its SOP Class UID and its Pixel Data.
  dcmdump: { args: () => ['+L', '-q', PROBE_FILE], code: 0, output: /^\(0008,0016\) UI =CTImageStorage [\s\S]*^\(7fe0,0010\) O[BW] /m },
  // dciodvfy names the IOD it checked against.
  dciodvfy: { args: () => ['-new', PROBE_FILE], code: 0, output: /^CTImage$/m },
  // The same file twice is an entity inconsistency dcentvfy must report.
  dcentvfy: { args: () => [PROBE_FILE, PROBE_FILE], code: 1, output: /^Error - Duplicate SOPInstanceUID/m },
  // dcmconv prints nothing on success; it must write the output file.
  dcmconv: {
    args: (scratch) => ['+te', PROBE_FILE, join(scratch, 'out.dcm')], code: 0, output: /^$/,
    after: (scratch) => (existsSync(join(scratch, 'out.dcm')) && statSync(join(scratch, 'out.dcm')).size > 1000 ? null : 'wrote no output file'),
  },
  gdcmanon: { args: () => ['--version'], code: 0, output: /gdcm \d/ },
  gdcmconv: { args: () => ['--version'], code: 0, output: /gdcm \d/ },
  // The pixel tests' external decoders (oracles for JPEG, JPEG-LS and RLE); each run is then checked by its output.
  dcmcjpeg: { args: () => ['--version'], code: 0, output: /dcmcjpeg v\d/ },
  dcmdjpeg: { args: () => ['--version'], code: 0, output: /dcmdjpeg v\d/ },
  dcmdjpls: { args: () => ['--version'], code: 0, output: /dcmdjpls v\d/ },
  dcmdrle: { args: () => ['--version'], code: 0, output: /dcmdrle v\d/ },
  // Debian's tesseract-ocr, the independent reader of the burned-in text tests (test/helpers/tesseract.ts).
  tesseract: { args: () => ['--version'], code: 0, output: /tesseract \d/ },
};

const problems = new Map<ToolName, string | null>();

/** Why `name` cannot be used (missing, broken), or null when its probe gave the expected status and output. */
export function toolProblem(name: ToolName): string | null {
  const cached = problems.get(name);
  if (cached !== undefined) return cached;
  const probe = PROBES[name];
  const scratch = mkdtempSync(join(tmpdir(), `probe-${name}-`));
  let problem: string | null = null;
  try {
    const args = probe.args(scratch);
    const r = spawnSync(name, args, { encoding: 'latin1', maxBuffer: 64 << 20, timeout: 30_000 });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    const shown = `\`${name} ${args.map((a) => (a === PROBE_FILE ? 'examples/ct/slice-001.dcm' : a)).join(' ')}\``;
    if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') problem = `${name} is not installed (not found on PATH)`;
    else if (r.error) problem = `${name} could not be run: ${r.error.message}`;
    else if (r.status !== probe.code) problem = `${name} looks broken: ${shown} exited with ${r.status ?? r.signal}, expected ${probe.code}`;
    else if (!probe.output.test(output)) {
      problem = `${name} looks broken: ${shown} printed ${output.trim() === '' ? 'nothing' : 'unexpected output'} (expected ${probe.output})`;
    } else {
      const after = probe.after?.(scratch) ?? null;
      if (after !== null) problem = `${name} looks broken: ${shown} exited with ${r.status} but ${after}`;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  problems.set(name, problem);
  return problem;
}

function firstProblem(names: ToolName[]): string | null {
  for (const name of names) {
    const problem = toolProblem(name);
    if (problem !== null) return problem;
  }
  return null;
}

/** For a test's `skip` option: the reason when a tool does not work and CI is not set; false otherwise. */
export function skipUnlessTools(...names: ToolName[]): string | false {
  if (IN_CI) return false;
  const problem = firstProblem(names);
  return problem === null ? false : `${problem} (with CI=true this test fails)`;
}

/** Fails the test (throws) when a tool does not work: the first line of every test that uses one. */
export function requireTools(...names: ToolName[]): void {
  const problem = firstProblem(names);
  if (problem !== null) assert.fail(`${problem}${IN_CI ? ' (CI=true: a test that needs it fails rather than skipping)' : ''}`);
}

export interface ToolExpectation {
  /** Exit statuses accepted; [0] by default. */
  codes?: number[];
  /** What stdout + stderr must match; by default it must be non-empty. `null`: no output check (dcmconv, dcentvfy). */
  output?: RegExp | null;
  timeoutMs?: number;
  options?: RunOptions;
}

/** Runs a tool and fails the test unless it exited as expected and printed what a working tool prints. */
export async function runTool(name: ToolName, args: string[], expect: ToolExpectation = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await run(name, args, expect.timeoutMs ?? 60_000, expect.options);
  const codes = expect.codes ?? [0];
  const what = `\`${name} ${args.join(' ')}\``;
  assert.ok(codes.includes(r.code), `${what} exited with ${r.code}, expected ${codes.join(' or ')}: ${r.stderr.slice(0, 300)}`);
  const output = r.stdout + r.stderr;
  if (expect.output === undefined) assert.ok(output.trim() !== '', `${what} printed nothing`);
  else if (expect.output !== null) assert.match(output, expect.output, `${what} did not print what it should`);
  return r;
}
