// A rules file that leaves PHI behind says so (issue 14): without the profile, the run reports once which attributes
// the Basic Profile would change are present and untouched (keywords and file counts, never values), in the report's
// summary and on stderr; --strict-rules refuses the run before anything is written.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBatch, type BatchOptions } from '../../src/batch/run.js';
import { parseConfig } from '../../src/config/load.js';
import { basicProfilePlan } from '../../src/config/build.js';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { UsageError } from '../../src/files/usage-error.js';
import { AccessionNumber, InstitutionName, PatientBirthDate, PatientID, PatientName, SOPInstanceUID, StudyDate } from '../../src/dicom/tags.generated.js';
import { run } from '../helpers/corpus.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLES = join(REPO, 'examples');
const MAIN = join(REPO, 'src', 'cli', 'main.ts');
const SECRET = { kind: 'text', text: 'untouched-phi-test-key-0123456789' } as const;
/** The guide's "AI training" config: three rules, no profile. */
const AI_TRAINING = JSON.stringify({
  rules: [
    { tag: '(0010,0010)', method: 'replace', value: 'TRAINING_CASE' },
    { tag: '(0010,0020)', method: 'hash' },
    { tag: '(0008,0080)', method: 'remove' },
  ],
});
/** Fake PHI of examples/ (scripts/make-examples.ts). */
const PHI = ['SMITH', 'JOHN', 'MRN123456', 'PID4471902'];

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'dicomanon-untouched-'));
  writeFileSync(join(work, 'ai.json'), AI_TRAINING);
  writeFileSync(join(work, 'ai-profile.json'), JSON.stringify({ ...JSON.parse(AI_TRAINING), profile: { name: 'basic' } }));
});
after(() => rmSync(work, { recursive: true, force: true }));

const batch = (plan: BatchOptions['plan'], output: string, extra: Partial<BatchOptions> = {}): ReturnType<typeof runBatch> =>
  runBatch({ input: EXAMPLES, output: join(work, output), recursive: true, plan, secret: SECRET, jobs: 1, log: () => {}, ...extra });

test('the engine lists, per file, the profile\'s tags that a plan without the profile kept', () => {
  const plan = parseConfig(AI_TRAINING);
  assert.ok(plan.profileWouldChange?.includes(PatientBirthDate), 'the plan carries the Basic Profile\'s tag list');
  const file = readDicomFile(join(EXAMPLES, 'ct', 'slice-001.dcm'));
  try {
    const result = new Anonymizer(plan, Keys.fromSecret(SECRET.text)).anonymizeFile(file);
    const untouched = new Set(result.untouchedProfileTags);
    for (const tag of [PatientBirthDate, AccessionNumber, StudyDate, SOPInstanceUID]) assert.ok(untouched.has(tag), `tag ${tag.toString(16)} kept`);
    for (const tag of [PatientName, PatientID, InstitutionName]) assert.ok(!untouched.has(tag), `tag ${tag.toString(16)} was handled by a rule`);
  } finally {
    file.close();
  }
  const profiled = basicProfilePlan([]);
  assert.equal(profiled.profileWouldChange, null);
  const file2 = readDicomFile(join(EXAMPLES, 'ct', 'slice-001.dcm'));
  try {
    assert.deepEqual(new Anonymizer(profiled, Keys.fromSecret(SECRET.text)).anonymizeFile(file2).untouchedProfileTags, []);
  } finally {
    file2.close();
  }
});

test('the report summary names the untouched attributes once, with file counts and the suggested profile, no values', async () => {
  const report = join(work, 'ai-report.json');
  const summary = await batch(parseConfig(AI_TRAINING), 'out-ai', { reportPath: report });
  assert.equal(summary.ok, 5);
  const u = summary.untouchedByRules;
  assert.ok(u, 'untouched attributes reported');
  const byKeyword = new Map(u.attributes.map((a) => [a.keyword, a.files]));
  assert.equal(byKeyword.get('PatientBirthDate'), 5);
  assert.equal(byKeyword.get('AccessionNumber'), 5);
  assert.equal(byKeyword.get('StudyInstanceUID'), 5);
  for (const k of ['PatientName', 'PatientID', 'InstitutionName']) assert.ok(!byKeyword.has(k), `${k} was handled`);
  assert.match(u.suggestion, /"profile": \{"name": "basic"\}/);
  const text = readFileSync(report, 'utf8');
  const json = JSON.parse(text) as { summary: { untouchedByRules?: unknown } };
  assert.deepEqual(json.summary.untouchedByRules, u);
  for (const phi of PHI) assert.ok(!text.includes(phi), `the report holds no value (${phi})`);

  // The same rules with the profile: nothing is left untouched, nothing reported.
  const withProfile = await batch(parseConfig(readFileSync(join(work, 'ai-profile.json'), 'utf8')), 'out-ai-profile');
  assert.equal(withProfile.untouchedByRules, undefined);
});

test('--strict-rules: refused before any output, report or folder is written; allowed with the profile', async () => {
  const output = join(work, 'out-strict');
  const report = join(work, 'strict-report.json');
  await assert.rejects(batch(parseConfig(AI_TRAINING), 'out-strict', { strictRules: true, reportPath: report }), (e: unknown) =>
    e instanceof UsageError && /--strict-rules: .*PatientBirthDate \(0010,0030\) in 5 file\(s\).*nothing was written/.test(e.message) &&
    PHI.every((v) => !e.message.includes(v)));
  assert.ok(!existsSync(output), 'no output folder');
  assert.ok(!existsSync(report), 'no report');
  const ok = await batch(basicProfilePlan([]), 'out-strict-profile', { strictRules: true });
  assert.equal(ok.ok, 5);
});

test('the CLI prints the warning once (even with -q), and exits 1 with --strict-rules leaving nothing', async () => {
  const key = join(work, 'key');
  writeFileSync(key, 'untouched-phi-cli-key-0123456789', { mode: 0o600 });
  const cli = (...args: string[]): ReturnType<typeof run> => run(process.execPath, ['--import', 'tsx', MAIN, ...args], 60_000);
  const [warned, strict] = await Promise.all([
    cli('-i', EXAMPLES, '-o', join(work, 'cli-out'), '-r', '-c', join(work, 'ai.json'), '--key-file', key, '-q', '--jobs', '1'),
    cli('-i', EXAMPLES, '-o', join(work, 'cli-strict'), '-r', '-c', join(work, 'ai.json'), '--key-file', key, '--strict-rules', '--jobs', '1'),
  ]);
  assert.equal(warned.code, 0, warned.stderr);
  assert.equal(warned.stderr.match(/does not use the PS3\.15 profile/g)?.length, 1, warned.stderr);
  assert.match(warned.stderr, /PatientBirthDate \(0010,0030\) in 5 file\(s\)/);
  assert.match(warned.stderr, /"profile": \{"name": "basic"\}/);
  assert.equal(strict.code, 1, strict.stderr);
  assert.match(strict.stderr, /error: --strict-rules/);
  assert.ok(!existsSync(join(work, 'cli-strict')));
  for (const phi of PHI) assert.ok(!warned.stderr.includes(phi) && !strict.stderr.includes(phi));
});
