// The burned-in step in a batch: a default run over a mixed folder quarantines the at-risk files (beside the input,
// never in or beside the output), reports and audits them with their reasons, delivers the rest with untouched pixels; verify finds
// nothing at risk in the output; a rule delivers the ultrasound cleaned; the CLI exits 4.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { basicProfilePlan } from '../../src/config/build.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { UsageError } from '../../src/files/usage-error.js';
import { runBatch, type BatchOptions } from '../../src/batch/run.js';
import { verifyTrees } from '../../src/verify/index.js';
import { Modality } from '../../src/dicom/tags.generated.js';
import type { Plan } from '../../src/plan/plan.js';
import { readAudit, readRunReport } from '../../src/records/index.js';
import { pixelBytes } from '../helpers/pixels.js';
import { run } from '../helpers/corpus.js';
import { makeImage, makePdf, makeSr, SOP, TEXT_BOX, testPixels } from '../anonymize/burned-in-helpers.js';
import { filesBelow } from '../helpers/tree.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SECRET = { kind: 'text', text: 'quarantine-test-key-0123456789' } as const;
let work: string;
let input: string;

const options = (output: string, extra: Partial<BatchOptions> = {}): BatchOptions => ({
  input, output, recursive: true, plan: basicProfilePlan([]), secret: SECRET, jobs: 2, log: () => {}, ...extra,
});

before(() => {
  work = mkdtempSync(join(tmpdir(), 'dicomanon-quarantine-'));
  input = join(work, 'in');
  mkdirSync(join(input, 'echo'), { recursive: true });
  writeDicomFile(makeImage({ modality: 'US', sopClass: SOP.us, n: 1, burnedIn: 'NO' }), join(input, 'echo', 'us.dcm'));
  writeDicomFile(makeImage({ modality: 'OT', sopClass: SOP.sc, n: 2 }), join(input, 'dose-screen.dcm'));
  writeDicomFile(makeImage({ modality: 'CT', sopClass: SOP.ct, n: 3 }), join(input, 'ct.dcm'));
  writeDicomFile(makePdf(4), join(input, 'report.dcm'));
  writeDicomFile(makeSr(5), join(input, 'sr.dcm'));
});

after(() => { if (!process.env.KEEP_WORK) rmSync(work, { recursive: true, force: true }); });

test('default run over a mixed folder: at-risk files quarantined and reported, the others delivered, nothing at risk in the output', async () => {
  const output = join(work, 'out');
  const report = join(work, 'report.json');
  const audit = join(work, 'audit.jsonl');
  const summary = await runBatch(options(output, { reportPath: report, auditPath: audit }));
  // The PDF's document is replaced by the profile (D): what is delivered holds no document, so it is no risk.
  assert.equal(summary.quarantined, 2);
  assert.equal(summary.ok, 3);
  assert.equal(summary.failed, 0);
  assert.equal(summary.quarantineFolder, `${input}-quarantine`);
  assert.deepEqual(filesBelow(output), ['ct.dcm', 'report.dcm', 'sr.dcm']);
  assert.deepEqual(filesBelow(`${input}-quarantine`), ['dose-screen.dcm', join('echo', 'us.dcm')]);
  // The CT's pixels are byte for byte the original's.
  const ct = readDicomFile(join(output, 'ct.dcm'));
  assert.deepEqual(pixelBytes(ct), Buffer.from(testPixels()));
  ct.close();
  // Grouped reasons, without values.
  assert.equal(summary.quarantineReasons.reduce((n, r) => n + r.files, 0), 2);
  assert.ok(summary.quarantineReasons.some((r) => /Modality US/.test(r.reason)), JSON.stringify(summary.quarantineReasons));
  const parsed = readRunReport(report);
  const us = parsed.files.find((f) => f.input.endsWith('us.dcm'))!;
  assert.equal(us.status, 'quarantined');
  assert.equal(us.output, join(`${input}-quarantine`, 'echo', 'us.dcm'));
  assert.match(us.note ?? '', /no pixel rule matched/);
  assert.ok(us.burnedIn?.reasons.includes('Modality US'));
  assert.equal(parsed.files.find((f) => f.input.endsWith('report.dcm'))?.status, 'ok');
  assert.equal(parsed.files.find((f) => f.input.endsWith('ct.dcm'))?.burnedIn, undefined, 'not at risk: no burnedIn entry');
  assert.equal(parsed.summary.quarantined, 2);
  const all = readFileSync(report, 'utf8') + readFileSync(audit, 'utf8');
  for (const phi of ['DOE', 'JANE', 'MRN-55501']) assert.ok(!all.includes(phi), phi);
  const burnedInLines = [...readAudit(audit)].filter((e) => 'burnedIn' in e);
  // One line per file with the gate's verdict (the two at risk, and the three that are not).
  assert.equal(burnedInLines.length, 5);
  assert.equal(burnedInLines.filter((e) => e.burnedIn.atRisk).length, 2);
  // verify over the output: nothing at risk without 113101.
  const verified = verifyTrees({ output });
  assert.deepEqual(verified.files.flatMap((f) => f.findings).filter((f) => f.kind === 'burned-in-not-cleaned'), []);
  const quarantined = verifyTrees({ output: `${input}-quarantine` });
  assert.equal(quarantined.files.flatMap((f) => f.findings).filter((f) => f.kind === 'burned-in-not-cleaned').length, 2);
});

test('a rule that covers the ultrasound text delivers it cleaned; the study layout works in the quarantine too', async () => {
  const base = basicProfilePlan([]);
  const plan: Plan = {
    ...base,
    pixels: {
      ...base.pixels,
      rules: [{ conditions: [{ tag: Modality, op: 'equals', value: 'US' }], regions: [{ kind: 'rectangle', units: 'pixels', ...TEXT_BOX }], origin: 'test rule' }],
    },
  };
  const output = join(work, 'out-rule');
  const quarantine = join(work, 'elsewhere');
  const summary = await runBatch(options(output, { plan, layout: 'study', quarantine }));
  assert.equal(summary.quarantined, 1);
  assert.equal(summary.ok, 4);
  assert.equal(filesBelow(quarantine).length, 1);
  assert.ok(filesBelow(quarantine).every((f) => f.split('/').length === 4), filesBelow(quarantine).join());
  assert.equal(filesBelow(output).length, 4);
  const findings = verifyTrees({ output }).files.flatMap((f) => f.findings).filter((f) => f.kind === 'burned-in-not-cleaned');
  assert.deepEqual(findings, []);
});

test('policies in a batch: fail fails the at-risk files, keep delivers them; the quarantine folder is refused inside the output or input', async () => {
  const base = basicProfilePlan([]);
  const failed = await runBatch(options(join(work, 'out-fail'), { plan: { ...base, pixels: { ...base.pixels, policy: 'fail' } } }));
  assert.equal(failed.failed, 2);
  assert.equal(failed.quarantined, 0);
  assert.deepEqual(filesBelow(join(work, 'out-fail')), ['ct.dcm', 'report.dcm', 'sr.dcm']);
  const warnings: string[] = [];
  const kept = await runBatch(options(join(work, 'out-keep'), { plan: { ...base, pixels: { ...base.pixels, policy: 'keep' } }, log: (m) => warnings.push(m) }));
  assert.equal(kept.ok, 5);
  assert.equal(warnings.filter((w) => w.startsWith('warning:')).length, 2);
  await assert.rejects(runBatch(options(join(work, 'out-x'), { quarantine: join(work, 'out-x', 'q') })), UsageError);
  await assert.rejects(runBatch(options(join(work, 'out-y'), { quarantine: join(input, 'q') })), UsageError);
});

test('the CLI exits 4 when files were quarantined and none failed, and says why', async () => {
  const output = join(work, 'cli-out');
  const env = { ...process.env, DICOM_ANONYMIZER_KEY: 'quarantine-cli-key-0123456789abcdef' };
  const result = await run(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), '-i', input, '-o', output, '-r', '-j', '1'], 120_000, { env });
  assert.equal(result.code, 4, result.stderr);
  assert.match(result.stderr, /quarantined: 2 file\(s\) in .*in-quarantine \(the default: beside the input, with the originals; never share it\), because:/);
  assert.match(result.stderr, /3 ok, 0 failed, 0 skipped, 2 quarantined/);
  const help = await run(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), 'anonymize', '--help'], 60_000, { env });
  for (const flag of ['--burned-in', '--quarantine', '--redacted-syntax', '--pixel-rules', ' 4 some files were quarantined']) assert.ok(help.stdout.includes(flag), flag);
});
