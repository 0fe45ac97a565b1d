// --skip-existing keeps only outputs that are provably ours and complete: a 0-byte file, an original copied to the
// output path, a link, or a file cut short is written again and the report says so; a finished output is kept.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { part10Header, smallDataset } from '../../scripts/fuzz.js';
import { basicProfilePlan } from '../../src/config/load.js';
import { existingOutput, KEPT_NOTE, OTHER_RUN_NOTE, REDONE_NOTE } from '../../src/batch/resume.js';
import { fingerprintOf, runFingerprint } from '../../src/batch/fingerprint.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { runBatch, type BatchOptions } from '../../src/batch/run.js';
import { tempPathFor } from '../../src/files/atomic-output.js';
import { METHOD_TEXT } from '../../src/profiles/basic.js';
import { readRunReport } from '../../src/records/index.js';

const CT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'ct');
const SECRET = { kind: 'text', text: 'resume-test-key-0123456789' } as const;
const NAMES = ['slice-001.dcm', 'slice-002.dcm', 'slice-003.dcm'];
const FP = runFingerprint(SECRET, basicProfilePlan([]));

let work: string;
let input: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'dicomanon-resume-'));
  input = join(work, 'in');
  mkdirSync(input);
  for (const n of NAMES) copyFileSync(join(CT, n), join(input, n));
});
after(() => rmSync(work, { recursive: true, force: true }));

const options = (output: string, extra: Partial<BatchOptions> = {}): BatchOptions =>
  ({ input, output, recursive: true, plan: basicProfilePlan([]), secret: SECRET, jobs: 1, log: () => {}, ...extra });

test('planted files at output paths are redone and reported; a finished output is kept untouched', async () => {
  const out = join(work, 'out');
  await runBatch(options(out));
  const reference = NAMES.map((n) => readFileSync(join(out, n)));
  writeFileSync(join(out, NAMES[0]), '');                   // what a crash before any write could leave
  copyFileSync(join(input, NAMES[1]), join(out, NAMES[1])); // an untouched original
  const keptMtime = statSync(join(out, NAMES[2])).mtimeMs;
  const report = join(work, 'resume.json');
  const s = await runBatch(options(out, { skipExisting: true, reportPath: report }));
  assert.equal(s.failed, 0);
  const files = readRunReport(report).files;
  const noteOf = (name: string): string | undefined => files.find((f) => f.input.endsWith(name))?.note;
  assert.equal(noteOf(NAMES[0]), REDONE_NOTE);
  assert.equal(noteOf(NAMES[1]), REDONE_NOTE);
  assert.equal(noteOf(NAMES[2]), KEPT_NOTE);
  NAMES.forEach((n, i) => assert.deepEqual(readFileSync(join(out, n)), reference[i], `${n} is the real output again`));
  assert.equal(statSync(join(out, NAMES[2])).mtimeMs, keptMtime, 'the finished output was not rewritten');
});

test('what counts as ours: parses, our Implementation Class UID, and the method text when the profile ran', async () => {
  const out = join(work, 'marks');
  await runBatch(options(out));
  const ours = join(out, NAMES[0]);
  assert.equal(existingOutput(ours, METHOD_TEXT, FP), 'ours');
  assert.equal(existingOutput(join(out, 'missing.dcm'), METHOD_TEXT, FP), 'none');
  assert.equal(existingOutput(join(input, NAMES[0]), METHOD_TEXT, FP), 'not-ours', 'an original');
  // examples/ are made with our own file meta; a file from any other tool lacks our Implementation Class UID.
  const foreign = join(work, 'foreign.dcm');
  writeFileSync(foreign, Buffer.concat([part10Header('1.2.840.10008.1.2.1'), smallDataset('OTHER^TOOL')]));
  assert.equal(existingOutput(foreign, null, FP), 'not-ours', 'an original, for a plan without the profile');
  const cut = join(out, 'cut.dcm');
  writeFileSync(cut, readFileSync(ours));
  truncateSync(cut, statSync(cut).size - 7);
  assert.equal(existingOutput(cut, METHOD_TEXT, FP), 'not-ours', 'cut inside the last value');
  const link = join(out, 'link.dcm');
  symlinkSync(ours, link);
  assert.equal(existingOutput(link, METHOD_TEXT, FP), 'not-ours', 'a symbolic link is never kept');
  unlinkSync(link);
});

test('a rerun with another key or other options rewrites every output and says why; the same key and Plan keep them', async () => {
  const out = join(work, 'other-run');
  await runBatch(options(out));
  const first = NAMES.map((n) => readFileSync(join(out, n)));
  const report = join(work, 'other-run.json');
  const notes = (): (string | undefined)[] =>
    (JSON.parse(readFileSync(report, 'utf8')) as { files: { note?: string }[] }).files.map((f) => f.note);

  const otherKey = { kind: 'text', text: 'another-resume-key-9876543210' } as const;
  const rekeyed = await runBatch(options(out, { secret: otherKey, skipExisting: true, reportPath: report }));
  assert.deepEqual([rekeyed.ok, rekeyed.skipped], [3, 0], 'another key: nothing kept (it would mix two keys in one data set)');
  assert.deepEqual(notes(), [OTHER_RUN_NOTE, OTHER_RUN_NOTE, OTHER_RUN_NOTE]);
  NAMES.forEach((n, i) => assert.notDeepEqual(readFileSync(join(out, n)), first[i], `${n} rewritten under the other key`));

  const otherPlan = await runBatch(options(out, { secret: otherKey, plan: basicProfilePlan(['retainDeviceIdentity']), skipExisting: true, reportPath: report }));
  assert.deepEqual([otherPlan.ok, otherPlan.skipped], [3, 0], 'other options: nothing kept');
  assert.deepEqual(notes(), [OTHER_RUN_NOTE, OTHER_RUN_NOTE, OTHER_RUN_NOTE]);

  const same = await runBatch(options(out, { secret: otherKey, plan: basicProfilePlan(['retainDeviceIdentity']), skipExisting: true, reportPath: report }));
  assert.deepEqual([same.ok, same.skipped], [0, 3], 'the same key and Plan keep every output');
  assert.deepEqual(notes(), [KEPT_NOTE, KEPT_NOTE, KEPT_NOTE]);
});

test('the fingerprint: keyed (never the key), stable, and in the file meta of each output', () => {
  const plan = basicProfilePlan([]);
  assert.match(FP, /^[0-9a-f]{64}$/);
  assert.equal(runFingerprint({ kind: 'bytes', bytes: Buffer.from(`  ${SECRET.text}\n`) }, basicProfilePlan([])), FP, 'one key rule: file bytes and text agree');
  assert.notEqual(runFingerprint('another-resume-key-9876543210', plan), FP);
  assert.notEqual(runFingerprint(SECRET, basicProfilePlan(['retainUIDs'])), FP);
  const file = readDicomFile(join(work, 'other-run', NAMES[0]));
  try {
    assert.equal(fingerprintOf(file.meta, file.source), runFingerprint('another-resume-key-9876543210', basicProfilePlan(['retainDeviceIdentity'])));
  } finally {
    file.close();
  }
  const bytes = readFileSync(join(work, 'other-run', NAMES[0]));
  assert.ok(!bytes.includes(Buffer.from('another-resume-key')), 'the key is not in the output');
});

test('a single-file run removes the temporary file a killed run left beside its output', async () => {
  const outFile = join(work, 'single-out.dcm');
  const stale = tempPathFor(outFile);
  writeFileSync(stale, 'half a file');
  const s = await runBatch({ ...options(outFile), input: join(input, NAMES[0]) });
  assert.equal(s.ok, 1);
  assert.equal(s.staleRemoved, 1);
  assert.ok(!existsSync(stale));
});
