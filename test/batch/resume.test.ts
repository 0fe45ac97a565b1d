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
import { existingOutput, KEPT_NOTE, REDONE_NOTE } from '../../src/batch/resume.js';
import { runBatch, type BatchOptions } from '../../src/batch/run.js';
import { tempPathFor } from '../../src/files/atomic-output.js';
import { METHOD_TEXT } from '../../src/profiles/basic.js';
import { readRunReport } from '../../src/records/index.js';

const CT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'ct');
const SECRET = { kind: 'text', text: 'resume-test-key-0123456789' } as const;
const NAMES = ['slice-001.dcm', 'slice-002.dcm', 'slice-003.dcm'];

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
  assert.equal(existingOutput(ours, METHOD_TEXT), 'ours');
  assert.equal(existingOutput(join(out, 'missing.dcm'), METHOD_TEXT), 'none');
  assert.equal(existingOutput(join(input, NAMES[0]), METHOD_TEXT), 'not-ours', 'an original');
  // examples/ are made with our own file meta; a file from any other tool lacks our Implementation Class UID.
  const foreign = join(work, 'foreign.dcm');
  writeFileSync(foreign, Buffer.concat([part10Header('1.2.840.10008.1.2.1'), smallDataset('OTHER^TOOL')]));
  assert.equal(existingOutput(foreign, null), 'not-ours', 'an original, for a plan without the profile');
  const cut = join(out, 'cut.dcm');
  writeFileSync(cut, readFileSync(ours));
  truncateSync(cut, statSync(cut).size - 7);
  assert.equal(existingOutput(cut, METHOD_TEXT), 'not-ours', 'cut inside the last value');
  const link = join(out, 'link.dcm');
  symlinkSync(ours, link);
  assert.equal(existingOutput(link, METHOD_TEXT), 'not-ours', 'a symbolic link is never kept');
  unlinkSync(link);
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
