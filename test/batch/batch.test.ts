// The batch runner in-process (workers under tsx): discovery, path refusal, report/audit/mapping contents,
// determinism across --jobs and --shard, resume with --skip-existing, the study layout, dry run and fail-fast.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { basicProfilePlan } from '../../src/config/load.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { getString } from '../../src/dicom/values.js';
import { PatientID, SeriesInstanceUID, SOPInstanceUID, StudyInstanceUID } from '../../src/dicom/tags.generated.js';
import { discoverInputs } from '../../src/files/discover.js';
import { UsageError } from '../../src/files/usage-error.js';
import { checkPaths } from '../../src/batch/paths.js';
import { runBatch, type BatchOptions } from '../../src/batch/run.js';
import { parseShard, shardOf } from '../../src/batch/shard.js';
import { formatMappingCsv, readAudit, readMappingCsv, readRunReport } from '../../src/records/index.js';
import { tempPathFor } from '../../src/files/atomic-output.js';
import { CORPUS_DIR, corpusWanted, corpusEntries } from '../helpers/corpus.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLES = join(REPO, 'examples');
const SECRET = { kind: 'text', text: 'batch-test-key-0123456789' } as const;
/** Fake PHI of examples/ (scripts/make-examples.ts): none of it may appear in a report, audit or output path. */
const PHI = ['SMITH', 'JOHN', 'MRN123456', 'PID4471902'];

/**
 * The batch mechanics are tested here on every file, corpus ultrasound and secondary captures included: those are
 * delivered under --burned-in keep (test/batch/quarantine.test.ts tests the default, which quarantines them).
 */
const KEEP_PLAN = ((plan) => ({ ...plan, pixels: { ...plan.pixels, policy: 'keep' as const } }))(basicProfilePlan([]));

let work: string;
let input: string;
/** Corpus files copied into the input (none without ../shared/corpus): the examples and the rest are always there. */
let corpusFiles = 0;

function tree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(root, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

const options = (output: string, extra: Partial<BatchOptions> = {}): BatchOptions => ({
  input, output, recursive: true, plan: KEEP_PLAN, secret: SECRET, jobs: 2, log: () => {}, ...extra,
});

before(() => {
  work = mkdtempSync(join(tmpdir(), 'dicomanon-batch-'));
  input = join(work, 'in');
  // A small corpus: the examples, a few readable corpus files, and the awkward cases.
  for (const sub of ['ct', 'mr']) {
    mkdirSync(join(input, 'examples', sub), { recursive: true });
    for (const f of readdirSync(join(EXAMPLES, sub))) copyFileSync(join(EXAMPLES, sub, f), join(input, 'examples', sub, f));
  }
  if (corpusWanted()) {
    const picks = corpusEntries().filter((e) => e.dcmdump === 'OK' && e.size < 120_000 && !e.path.startsWith('malformed'));
    const byDir = new Map<string, string>();
    for (const e of picks) if (!byDir.has(e.path.split('/')[0])) byDir.set(e.path.split('/')[0], e.path);
    for (const p of [...byDir.values()].slice(0, 10)) {
      corpusFiles++;
      mkdirSync(dirname(join(input, 'corpus', p)), { recursive: true });
      copyFileSync(join(CORPUS_DIR, p), join(input, 'corpus', p));
    }
    if (existsSync(join(CORPUS_DIR, 'fo-dicom', 'DICOMDIR'))) copyFileSync(join(CORPUS_DIR, 'fo-dicom', 'DICOMDIR'), join(input, 'DICOMDIR'));
  }
  writeFileSync(join(input, 'notes.txt'), 'SMITH^JOHN was here\n');
  writeFileSync(join(input, 'broken.dcm'), 'this is not DICOM at all, though named so');
  writeFileSync(join(input, 'examples', 'ct', 'no-extension'), readFileSync(join(EXAMPLES, 'ct', 'slice-001.dcm')));
  mkdirSync(join(work, 'outside'));
  writeFileSync(join(work, 'outside', 'secret.dcm'), readFileSync(join(EXAMPLES, 'mr', 'image-001.dcm')));
  symlinkSync(join(work, 'outside', 'secret.dcm'), join(input, 'link-out.dcm'));
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('discovery', () => {
  test('sniffs content, skips non-DICOM and DICOMDIR, keeps a non-DICOM .dcm (to fail), never follows a link out', () => {
    const d = discoverInputs(input, { recursive: true });
    const files = d.files.map((f) => f.relativePath);
    const skipped = new Map(d.skipped.map((s) => [s.relativePath, s.reason]));
    assert.ok(files.includes(join('examples', 'ct', 'no-extension')), 'DICOM without extension found by content');
    assert.ok(files.includes('broken.dcm'), 'a .dcm that is not DICOM is kept so that it fails visibly');
    assert.match(skipped.get('notes.txt') ?? '', /not a DICOM file/);
    assert.match(skipped.get('link-out.dcm') ?? '', /out of the input folder/);
    if (existsSync(join(input, 'DICOMDIR'))) assert.match(skipped.get('DICOMDIR') ?? '', /DICOMDIR not copied/);
    assert.ok(!files.some((f) => f.includes('secret')));
    assert.deepEqual(d.entries.length, d.files.length + d.skipped.length);
    assert.ok(d.files.every((f) => f.size > 0 || f.relativePath === 'broken.dcm'));
  });

  test('without -r only the folder itself', () => {
    const d = discoverInputs(input, { recursive: false });
    assert.ok(d.files.every((f) => !f.relativePath.includes('/')));
  });
});

describe('path checks', () => {
  test('refuses output = input, output inside input, input inside output, also through a symlink', () => {
    assert.throws(() => checkPaths(input, input), UsageError);
    assert.throws(() => checkPaths(input, join(input, 'anon')), UsageError);
    assert.throws(() => checkPaths(join(input, 'examples'), input), UsageError);
    const link = join(work, 'link-to-in');
    symlinkSync(input, link);
    assert.throws(() => checkPaths(input, join(link, 'not-yet', 'out')), UsageError);
    const file = join(input, 'examples', 'ct', 'slice-001.dcm');
    assert.throws(() => checkPaths(file, file), UsageError);
    assert.throws(() => checkPaths(file, join(input, 'examples', 'ct')), UsageError, 'a folder output holding the input file itself');
    checkPaths(input, join(work, 'fine'));
  });

  test('refuses side files inside the input, and the report, audit and mapping inside the output', async () => {
    await assert.rejects(runBatch(options(join(work, 'o-side'), { reportPath: join(input, 'r.json') })), UsageError);
    await assert.rejects(runBatch(options(join(work, 'o-side'), { mappingDir: join(work, 'o-side', 'map') })), UsageError);
    // The report and audit name the original paths: identifying, so never beside the anonymized files.
    await assert.rejects(runBatch(options(join(work, 'o-side'), { reportPath: join(work, 'o-side', 'r.json') })), /--report must not be inside the output folder/);
    await assert.rejects(runBatch(options(join(work, 'o-side'), { auditPath: join(work, 'o-side', 'sub', 'a.jsonl') })), /--audit must not be inside the output folder/);
    assert.ok(!existsSync(join(work, 'o-side')));
    // A single-file input is held to the same rule when its output is a folder.
    const one = join(input, 'examples', 'ct', 'slice-001.dcm');
    const outDir = join(work, 'o-single');
    mkdirSync(outDir);
    await assert.rejects(runBatch({ ...options(outDir, { mappingDir: join(outDir, 'map') }), input: one }), /--mapping must not be inside the output folder/);
    await assert.rejects(runBatch({ ...options(outDir, { reportPath: join(outDir, 'r.json') }), input: one }), /--report must not be inside the output folder/);
    await assert.rejects(runBatch({ ...options(join(work, 'o-single.dcm'), { mappingDir: join(work, 'o-single.dcm') }), input: one }), UsageError);
    assert.deepEqual(readdirSync(outDir), []);
  });

  test('--shard parsing', () => {
    assert.deepEqual(parseShard('2/3'), { index: 2, count: 3 });
    for (const bad of ['3/3', '1', '-1/2', 'a/b', '0/0']) assert.throws(() => parseShard(bad), UsageError);
    assert.equal(shardOf('a/b.dcm', 1), 0);
  });
});

describe('batch outputs', () => {
  let reference: Map<string, string>;
  const refOut = (): string => join(work, 'ref');

  before(async () => {
    const s = await runBatch(options(refOut(), {
      jobs: 1, reportPath: join(work, 'ref-report.json'), auditPath: join(work, 'ref-audit.jsonl'), mappingDir: join(work, 'ref-map'),
    }));
    assert.equal(s.failed, 1, 'broken.dcm fails');
    reference = tree(refOut());
    // examples/: 3 CT + 2 MR, the extensionless copy of a CT slice; the linked file outside the input is not followed.
    assert.equal(reference.size, 6 + corpusFiles, [...reference.keys()].join(', '));
  });

  test('report: shape, statuses, errors with offset and no values', () => {
    // The reader checks the version and every field's type; the file itself holds no field beyond the format's.
    const report = readRunReport(join(work, 'ref-report.json'));
    const raw = JSON.parse(readFileSync(join(work, 'ref-report.json'), 'utf8')) as { files: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(raw), ['formatVersion', 'files', 'summary']);
    assert.equal(report.formatVersion, 1);
    // warning and burnedIn: the corpus's at-risk files, delivered under --burned-in keep (see KEEP_PLAN).
    for (const f of raw.files) for (const k of Object.keys(f)) assert.ok(['input', 'output', 'status', 'error', 'note', 'warning', 'burnedIn'].includes(k), k);
    for (const f of report.files) {
      assert.ok(['ok', 'failed', 'skipped'].includes(f.status));
      if (f.status === 'ok') assert.ok(f.output && existsSync(f.output));
      if (f.status === 'failed') assert.match(f.error ?? '', /at byte \d+/);
    }
    const broken = report.files.find((f) => f.input.endsWith('broken.dcm'));
    assert.equal(broken?.status, 'failed');
    assert.equal(report.files.find((f) => f.input.endsWith('notes.txt'))?.status, 'skipped');
    assert.equal(report.summary.failed, 1);
    assert.equal(report.summary.ok, reference.size);
    const text = readFileSync(join(work, 'ref-report.json'), 'utf8');
    for (const phi of PHI) assert.ok(!text.includes(phi), `report holds ${phi}`);
  });

  test('audit: one JSON line per element with tag path, keyword, action, origin, and no values', () => {
    // readAudit checks the version line and every line's fields; one line per file carries the burned-in verdict.
    const lines = [...readAudit(join(work, 'ref-audit.jsonl'))];
    assert.ok(lines.length > 100);
    for (const e of lines) if ('path' in e) assert.match(e.path, /^\([0-9A-F]{4},[0-9A-F]{4}\)(\[\d+\]\.\([0-9A-F]{4},[0-9A-F]{4}\))*$/);
    const text = readFileSync(join(work, 'ref-audit.jsonl'), 'utf8');
    assert.ok(text.startsWith('{"formatVersion":1}\n'));
    for (const phi of PHI) assert.ok(!text.includes(phi), `audit holds ${phi}`);
    assert.ok(text.includes('"keyword":"PatientName"'));
  });

  test('mapping: header, sorted, deduplicated, and the new values are the ones in the outputs', () => {
    const dir = join(work, 'ref-map');
    // readMappingCsv refuses a file without the id_old,id_new header (the format's version) or with a malformed row.
    const read = (name: string): [string, string][] => readMappingCsv(join(dir, name)).map((r) => [r.old, r.new]);
    for (const name of ['patient_id.csv', 'study_uid.csv', 'series_uid.csv', 'sop_uid.csv', 'uid_mapping.csv']) {
      // Format version 2: patient_id.csv also names the issuer each ID was keyed with (test/batch/mapping-issuer.test.ts).
      assert.ok(readFileSync(join(dir, name), 'utf8').startsWith(name === 'patient_id.csv' ? 'id_old,id_new,issuer_old\n' : 'id_old,id_new\n'), name);
      const olds = read(name).map((r) => r[0]);
      assert.deepEqual(olds, [...olds].sort(), `${name} sorted`);
      assert.equal(new Set(olds).size, olds.length, `${name} deduplicated`);
    }
    const patients = new Map(read('patient_id.csv'));
    assert.ok(patients.has('MRN123456') && patients.has('PID4471902'));
    const sops = new Map(read('sop_uid.csv'));
    const original = readDicomFile(join(input, 'examples', 'ct', 'slice-002.dcm'));
    const anon = readDicomFile(join(refOut(), 'examples', 'ct', 'slice-002.dcm'));
    const value = (f: typeof anon, tag: number): string => getString(f.dataset, f.dataset.get(tag)!, f.datasetSource);
    assert.equal(sops.get(value(original, SOPInstanceUID)), value(anon, SOPInstanceUID));
    assert.equal(patients.get(value(original, PatientID)), value(anon, PatientID));
    original.close();
    anon.close();
    assert.equal(read('uid_mapping.csv').length, ['study_uid.csv', 'series_uid.csv', 'sop_uid.csv'].reduce((n, f) => n + read(f).length, 0));
    assert.equal(formatMappingCsv([['a,b', 'x'], ['a,b', 'x'], ['"q"', 'y']]), 'id_old,id_new\n"""q""",y\n"a,b",x\n');
  });

  test('--jobs 1 (the main thread) and two or one worker threads give byte-identical trees', async () => {
    // The reference ran with jobs 1: on the main thread (inline.ts). These files are too few to be given threads by
    // the work-based sizing, so exactJobs asks for them.
    const j2 = await runBatch(options(join(work, 'j2'), { jobs: 2, exactJobs: true }));
    assert.equal(j2.jobs, 2);
    assert.deepEqual(tree(join(work, 'j2')), reference);
    await runBatch(options(join(work, 'thread1'), { jobs: 1, exactJobs: true }));
    assert.deepEqual(tree(join(work, 'thread1')), reference);
    const auto = await runBatch(options(join(work, 'auto'), { jobs: 2 }));
    assert.equal(auto.jobs, 1, 'a handful of small files is one worker\'s work: the main thread does it');
    assert.deepEqual(tree(join(work, 'auto')), reference);
  });

  test('three shards into one folder (concurrently) give exactly the single run', async () => {
    const out = join(work, 'shards');
    const reports = [0, 1, 2].map((k) => join(work, `shard-${k}.json`));
    await Promise.all([0, 1, 2].map((k) => runBatch(options(out, { jobs: 1, shard: { index: k, count: 3 }, reportPath: reports[k] }))));
    assert.deepEqual(tree(out), reference);
    const inputs = reports.flatMap((r) => readRunReport(r).files.map((f) => f.input));
    assert.equal(new Set(inputs).size, inputs.length, 'shards are disjoint');
    const full = readRunReport(join(work, 'ref-report.json')).files.map((f) => f.input);
    assert.deepEqual([...inputs].sort(), [...full].sort(), 'shards cover the whole run');
  });

  test('--skip-existing resumes a killed run: stale temp files removed, result identical', async () => {
    const out = join(work, 'resume');
    await runBatch(options(out, { jobs: 2 }));
    const done = [...tree(out).keys()];
    const removed = done.filter((_, i) => i % 3 === 0);
    for (const rel of removed) unlinkSync(join(out, rel));
    const kept = join(out, done.find((_, i) => i % 3 === 1)!);
    const keptMtime = statSync(kept).mtimeMs;
    // What a kill during a write leaves: the atomic output's temporary file beside the target.
    const stale = tempPathFor(join(out, 'examples', 'ct', 'slice-003.dcm'));
    writeFileSync(stale, 'half a file');
    const s = await runBatch(options(out, { jobs: 2, skipExisting: true, reportPath: join(work, 'resume.json') }));
    assert.equal(s.staleRemoved, 1);
    assert.ok(!existsSync(stale));
    assert.deepEqual(tree(out), reference);
    assert.equal(statSync(kept).mtimeMs, keptMtime, 'existing outputs are not rewritten');
    const report = readRunReport(join(work, 'resume.json'));
    assert.equal(report.files.filter((f) => f.note === 'output exists (--skip-existing)').length, done.length - removed.length);
  });

  test('--layout study: Patient/Study/Series/SOP.dcm from the new values; a duplicated instance is written once', async () => {
    const dupIn = join(work, 'dup-in');
    mkdirSync(join(dupIn, 'a'), { recursive: true });
    mkdirSync(join(dupIn, 'b'), { recursive: true });
    for (const f of readdirSync(join(EXAMPLES, 'ct'))) copyFileSync(join(EXAMPLES, 'ct', f), join(dupIn, 'a', f));
    copyFileSync(join(EXAMPLES, 'ct', 'slice-001.dcm'), join(dupIn, 'b', 'copy.dcm'));
    const out = join(work, 'study');
    const s = await runBatch({ ...options(out, { layout: 'study', reportPath: join(work, 'study.json') }), input: dupIn });
    assert.equal(s.ok, 3);
    assert.equal(s.failed, 1);
    const report = readRunReport(join(work, 'study.json'));
    assert.equal(report.files.find((f) => f.input.endsWith('copy.dcm'))?.status, 'failed', 'the later input in walk order loses');
    const files = [...tree(out).keys()];
    assert.equal(files.length, 3);
    for (const rel of files) {
      const [patient, study, series, sop] = rel.split('/');
      const f = readDicomFile(join(out, rel));
      const value = (tag: number): string => getString(f.dataset, f.dataset.get(tag)!, f.datasetSource);
      assert.equal(patient, value(PatientID));
      assert.equal(study, value(StudyInstanceUID));
      assert.equal(series, value(SeriesInstanceUID));
      assert.equal(sop, `${value(SOPInstanceUID)}.dcm`);
      f.close();
      for (const phi of PHI) assert.ok(!rel.includes(phi));
    }
    // Same bytes as the mirror layout for the same input.
    const mirror = tree(join(refOut(), 'examples', 'ct'));
    assert.deepEqual(new Set(tree(out).values()), new Set([...mirror].filter(([k]) => k.startsWith('slice')).map(([, v]) => v)));
  });

  test('--dry-run writes no image and tallies actions per tag', async () => {
    const out = join(work, 'dry');
    const s = await runBatch(options(out, { dryRun: true }));
    assert.ok(!existsSync(out) || tree(out).size === 0);
    assert.ok(s.dryRunLines.some((l) => l.startsWith('(0010,0010)') && l.includes('PatientName') && l.includes('pseudonym')));
    assert.ok(s.ok > 0);
  });

  test('--fail-fast stops at the first failure', async () => {
    const ffIn = join(work, 'ff-in');
    mkdirSync(ffIn);
    writeFileSync(join(ffIn, 'a-bad.dcm'), 'not DICOM');
    for (let i = 0; i < 20; i++) copyFileSync(join(EXAMPLES, 'ct', 'slice-001.dcm'), join(ffIn, `z-${String(i).padStart(2, '0')}.dcm`));
    const s = await runBatch({ ...options(join(work, 'ff'), { jobs: 1, failFast: true, reportPath: join(work, 'ff.json') }), input: ffIn });
    assert.equal(s.failed, 1);
    assert.ok(s.stoppedEarly);
    // One file per message under --fail-fast, at most two in flight per worker: at most two more are processed.
    assert.ok(s.ok <= 2, `stopped early (${s.ok} processed)`);
    const report = readRunReport(join(work, 'ff.json'));
    assert.equal(report.files.length, 21, 'unprocessed files are listed as skipped');
  });

  test('temporary report, audit and mapping files left by a killed run are removed by the next run', async () => {
    const sides = join(work, 'sides');
    mkdirSync(join(sides, 'map'), { recursive: true });
    const report = join(sides, 'r.json'), audit = join(sides, 'a.jsonl');
    const stale = [tempPathFor(report), tempPathFor(audit), tempPathFor(join(sides, 'map', 'sop_uid.csv'))];
    for (const p of stale) writeFileSync(p, 'half');
    writeFileSync(join(sides, '.other.json.dcmanon-0123456789abcdef01234567.partial'), 'another file\'s temporary: kept');
    const s = await runBatch({ ...options(join(work, 'sides-out'), { reportPath: report, auditPath: audit, mappingDir: join(sides, 'map') }), input: join(input, 'examples') });
    assert.equal(s.staleRemoved, 3);
    for (const p of stale) assert.ok(!existsSync(p));
    assert.deepEqual(readdirSync(sides).sort(), ['.other.json.dcmanon-0123456789abcdef01234567.partial', 'a.jsonl', 'map', 'r.json']);
  });
});
