// The built command (`npm run build`: tsc, then scripts/bundle-engine.ts) is dist/launch/cli.js: it runs the engine
// bundle compiled from its code cache, in the main thread and in each worker thread, and writes the same bytes as the
// ES modules (src/cli/main.ts, what every other CLI test runs). A cache made for another bundle, a cache V8 refuses
// and a missing bundle each still give the same outputs; text detection's import() of its packages works from the
// bundle. The build goes into a temporary folder, so the repository's dist/ is neither used nor changed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDicomFile } from '../../src/dicom/part10.js';
import { ImageType } from '../../src/dicom/tags.generated.js';
import { setString } from '../../src/dicom/values.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { BUNDLE_FILE, CODE_CACHE_FILE, LAUNCH_TRACE_ENV } from '../../src/launch/engine.js';
import { readRunReport } from '../../src/records/index.js';
import { generateSmallFiles } from '../../scripts/bench-workloads.js';
import { filesBelow } from '../helpers/tree.js';

const REPO = join(import.meta.dirname, '..', '..');
const MODULES_CLI = join(REPO, 'src', 'cli', 'main.ts');
const KEY = 'launcher test key 0123456789abcdef';

let work = '';
let launchDir = '';
let builtCli = '';
let manyFiles = '';

/** Output file (relative to `root`) → bytes. */
function treeBytes(root: string): Map<string, Buffer> {
  return new Map(filesBelow(root).map((rel) => [rel, readFileSync(join(root, rel))]));
}

function assertSameTrees(actual: string, expected: string): void {
  const a = treeBytes(actual), e = treeBytes(expected);
  assert.deepEqual([...a.keys()].sort(), [...e.keys()].sort());
  assert.ok(e.size > 0, 'the reference run wrote files');
  const differing = [...e].filter(([rel, bytes]) => !bytes.equals(a.get(rel)!)).map(([rel]) => rel);
  assert.deepEqual(differing, [], 'outputs that differ from the ES modules\' outputs');
}

function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, args, {
    encoding: 'utf8', timeout: 180_000,
    env: { ...process.env, DICOM_ANONYMIZER_KEY: KEY, [LAUNCH_TRACE_ENV]: '1', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const runBuilt = (input: string, output: string, extra: string[] = [], env: Record<string, string> = {}) =>
  run([builtCli, '-i', input, '-o', output, '-r', ...extra], env);
const runModules = (input: string, output: string, extra: string[] = []) =>
  run(['--import', 'tsx', MODULES_CLI, '-i', input, '-o', output, '-r', ...extra]);

before(() => {
  work = mkdtempSync(join(tmpdir(), 'dicomanon-launcher-'));
  const dist = join(work, 'dist');
  // The built modules are ES modules (the project's "type": "module") and find their packages in node_modules.
  writeFileSync(join(work, 'package.json'), '{"type": "module"}\n');
  symlinkSync(join(REPO, 'node_modules'), join(work, 'node_modules'), 'dir');
  const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(REPO, 'tsconfig.build.json'), '--outDir', dist], { encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  const bundle = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'scripts', 'bundle-engine.ts'), '--dist', dist], { encoding: 'utf8', cwd: REPO });
  assert.equal(bundle.status, 0, bundle.stdout + bundle.stderr);
  launchDir = join(dist, 'launch');
  builtCli = join(launchDir, 'cli.js');
  manyFiles = join(work, 'many');
  // Enough files for the pool to start a worker beside the main thread at -j 3 (pool-size.ts).
  generateSmallFiles(manyFiles, 1100);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the built command runs the engine bundle from its code cache in the main thread and the worker, and writes what the modules write', () => {
  const built = runBuilt(manyFiles, join(work, 'out-built'), ['-j', '3']);
  assert.equal(built.status, 0, built.stderr);
  assert.match(built.stderr, /^launch \(main thread\): engine bundle, code cache accepted$/m);
  assert.match(built.stderr, /^launch \(worker thread\): engine bundle, code cache accepted$/m);
  assert.match(built.stdout + built.stderr, /1100 ok, 0 failed.*2 threads/);
  const modules = runModules(manyFiles, join(work, 'out-modules'), ['-j', '3']);
  assert.equal(modules.status, 0, modules.stderr);
  assertSameTrees(join(work, 'out-built'), join(work, 'out-modules'));
});

test('a cache made for another bundle, a cache V8 refuses, and no bundle at all: the same outputs', () => {
  const input = join(REPO, 'examples');
  const reference = join(work, 'ref');
  assert.equal(runModules(input, reference).status, 0);
  const bundlePath = join(launchDir, BUNDLE_FILE), cachePath = join(launchDir, CODE_CACHE_FILE);
  const bundle = readFileSync(bundlePath), cache = readFileSync(cachePath);
  try {
    // The same bundle but one byte longer: the cache's digest no longer matches, so V8 is never handed it.
    writeFileSync(bundlePath, Buffer.concat([bundle, Buffer.from('\n')]));
    const stale = runBuilt(input, join(work, 'stale'));
    assert.equal(stale.status, 0, stale.stderr);
    assert.match(stale.stderr, /^launch \(main thread\): engine bundle, code cache stale$/m);
    assertSameTrees(join(work, 'stale'), reference);

    // The right digest, but V8's own header names another V8 version (its bytes 4-7): V8 rejects the cache.
    writeFileSync(bundlePath, bundle);
    const foreign = Buffer.from(cache);
    for (let i = 32 + 4; i < 32 + 8; i++) foreign[i] ^= 0xff;
    writeFileSync(cachePath, foreign);
    const rejected = runBuilt(input, join(work, 'rejected'));
    assert.equal(rejected.status, 0, rejected.stderr);
    assert.match(rejected.stderr, /^launch \(main thread\): engine bundle, code cache rejected$/m);
    assertSameTrees(join(work, 'rejected'), reference);

    // No bundle: the launcher falls back to the ES modules.
    rmSync(bundlePath);
    const modules = runBuilt(input, join(work, 'no-bundle'));
    assert.equal(modules.status, 0, modules.stderr);
    assert.match(modules.stderr, /^launch \(main thread\): ES modules \(no engine bundle\)$/m);
    assertSameTrees(join(work, 'no-bundle'), reference);
  } finally {
    writeFileSync(bundlePath, bundle);
    writeFileSync(cachePath, cache);
  }
});

test('text detection loads its packages (import()) from the bundle: an at-risk image is searched, not quarantined', () => {
  const input = join(work, 'at-risk');
  mkdirSync(input);
  const file = readDicomFile(join(REPO, 'examples', 'ct', 'slice-001.dcm'));
  try {
    // Image Type DERIVED\SECONDARY puts the slice at risk of burned-in text (burned-in/gate.ts).
    setString(file.dataset, file.dataset.get(ImageType)!, 'DERIVED\\SECONDARY');
    writeDicomFile(file, join(input, 'derived.dcm'));
  } finally {
    file.close();
  }
  const report = join(work, 'redact-report.json');
  const built = runBuilt(input, join(work, 'redact-built'), ['--burned-in', 'redact', '--report', report]);
  assert.equal(built.status, 0, built.stdout + built.stderr);
  assert.match(built.stderr, /code cache accepted/);
  assert.match(built.stdout + built.stderr, /1 ok, 0 failed/);
  // Detection ran (the report gives what it found), rather than the file being passed for another reason.
  const [entry] = readRunReport(report).files;
  assert.equal(entry.burnedIn?.atRisk, true);
  assert.equal(typeof entry.burnedIn?.text?.boxes, 'number');
  const modules = runModules(input, join(work, 'redact-modules'), ['--burned-in', 'redact']);
  assert.equal(modules.status, 0, modules.stdout + modules.stderr);
  assertSameTrees(join(work, 'redact-built'), join(work, 'redact-modules'));
});
