// Mirror-layout output names never carry an identifying value of the input (issue #16): generated trees named after
// their patients (names, IDs, birth dates in three formats, accession, institution), a folder holding two patients'
// files, a folder named by an ID that no header holds, unreadable files, a neutral tree. Each renamed component is
// `anon-` + 20 hex digits of HMAC-SHA256(key, "path-component" NUL component) (written out here from that definition)
// with its extension; the same under the same key in two runs and in shards, different under another key; verify
// with the originals (and the run's --mapping) pairs every output and finds no identifying-value-in-path.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/load.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { newStringElement } from '../../src/dicom/values.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { AccessionNumber, InstitutionName, PatientBirthDate, PatientID, PatientName, PixelData, StudyDate } from '../../src/dicom/tags.generated.js';
import { runBatch, type BatchOptions } from '../../src/batch/run.js';
import { UsageError } from '../../src/files/usage-error.js';
import { MirrorNames, headerPathValues } from '../../src/batch/mirror-names.js';
import { PATH_VALUES_END, pathIdentifyingValues } from '../../src/plan/identifying-path.js';
import { verifyTrees } from '../../src/verify/index.js';
import { checkPathAgainst, scanPath } from '../../src/verify/paths.js';
import { keyedMac } from '../helpers/keyed.js';
import { makeImage, SOP } from '../anonymize/burned-in-helpers.js';
import { CORPUS_DIR, corpusSkip } from '../helpers/corpus.js';
import { filesBelow } from '../helpers/tree.js';

const EXAMPLE_CT = join(fileURLToPath(new URL('../../examples/ct', import.meta.url)), 'slice-001.dcm');
const KEY_A = 'mirror-names-test-key-A-0123456789';
const KEY_B = 'mirror-names-test-key-B-9876543210';

interface Patient { name: string; id: string; birth: string; accession: string; institution: string }
const DOE: Patient = { name: 'DOE^JOHN', id: 'MRN12345', birth: '19500101', accession: 'ACC777123', institution: 'Saint Elsewhere' };
const SMITH: Patient = { name: 'SMITH^ANNA', id: 'PID-4711', birth: '19620315', accession: 'X5550001', institution: 'General' };
const JONES: Patient = { name: 'JONES^MARY', id: 'PID-0815', birth: '19711224', accession: 'X5550002', institution: 'General' };

/** Relative input path → patient (or 'broken' for a file named .dcm that is no DICOM). */
const TREE: Array<[string, Patient | 'broken']> = [
  ['DOE_JOHN_MRN12345/19500101_CT/DOE_JOHN.dcm', DOE],
  ['DOE_JOHN_MRN12345/1950-01-01/IMG0001.dcm', DOE],
  ['DOE_JOHN_MRN12345/01.01.1950/series1/IMG0002.dcm', DOE],
  ['DOE_JOHN_MRN12345/ACC777123/doe', DOE],
  ['DOE_JOHN_MRN12345/ACC777123/DOE.DCM', DOE],
  ['Saint Elsewhere CT/series1/IMG0001.dcm', DOE],
  ['SMITH_cases/a.dcm', SMITH],
  ['SMITH_cases/b.dcm', JONES],
  ['SMITH_cases/broken.dcm', 'broken'],
  ['K1234567_scan/IMG0001.dcm', JONES],
  ['study1/CT/series1/IMG0001.dcm', JONES],
  ['study1/CT/series1/IMG0002.dcm', SMITH],
];

/** The expected name of a renamed component, from the documented definition. */
const renamed = (key: string, component: string, ext = ''): string => `anon-${keyedMac(key, 'path-component', component).subarray(0, 10).toString('hex')}${ext}`;

/** The expected output path of each written input under `key` (the broken file is not written). */
function expected(key: string): string[] {
  const r = (c: string, ext = ''): string => renamed(key, c, ext);
  return [
    [r('DOE_JOHN_MRN12345'), r('19500101_CT'), r('DOE_JOHN.dcm', '.dcm')],
    [r('DOE_JOHN_MRN12345'), r('1950-01-01'), 'IMG0001.dcm'],
    [r('DOE_JOHN_MRN12345'), r('01.01.1950'), 'series1', 'IMG0002.dcm'],
    [r('DOE_JOHN_MRN12345'), r('ACC777123'), r('doe')],
    [r('DOE_JOHN_MRN12345'), r('ACC777123'), r('DOE.DCM', '.DCM')],
    [r('Saint Elsewhere CT'), 'series1', 'IMG0001.dcm'],
    [r('SMITH_cases'), 'a.dcm'],
    [r('SMITH_cases'), 'b.dcm'],
    [r('K1234567_scan'), 'IMG0001.dcm'],
    ['study1', 'CT', 'series1', 'IMG0001.dcm'],
    ['study1', 'CT', 'series1', 'IMG0002.dcm'],
  ].map((parts) => parts.join(sep)).sort();
}

let work: string;
let input: string;

function writePatient(p: Patient, path: string): void {
  const file = readDicomFile(EXAMPLE_CT);
  try {
    for (const [tag, vr, value] of [[PatientName, 'PN', p.name], [PatientID, 'LO', p.id], [PatientBirthDate, 'DA', p.birth],
      [StudyDate, 'DA', '20240102'], [AccessionNumber, 'SH', p.accession], [InstitutionName, 'LO', p.institution]] as const) {
      file.dataset.put(newStringElement(file.dataset, tag, vr, value));
    }
    mkdirSync(dirname(path), { recursive: true });
    writeDicomFile(file, path);
  } finally {
    file.close();
  }
}

const options = (output: string, key: string, extra: Partial<BatchOptions> = {}): BatchOptions => ({
  input, output, recursive: true, plan: basicProfilePlan([]), secret: { kind: 'text', text: key }, jobs: 2, log: () => {}, ...extra,
});

before(() => {
  work = mkdtempSync(join(tmpdir(), 'dicomanon-mirror-names-'));
  input = join(work, 'in');
  for (const [rel, who] of TREE) {
    const path = join(input, ...rel.split('/'));
    if (who === 'broken') {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, 'DOE^JOHN MRN12345 this is not DICOM');
    } else writePatient(who, path);
  }
});

after(() => { if (!process.env.KEEP_WORK) rmSync(work, { recursive: true, force: true }); });

test('a tree named after its patients: identifying folders and names renamed by the keyed definition, the rest kept, extensions kept', async () => {
  const output = join(work, 'out-a');
  const summary = await runBatch(options(output, KEY_A, { mappingDir: join(work, 'map-a') }));
  assert.equal(summary.failed, 1, 'the broken file fails, nothing else');
  assert.deepEqual(filesBelow(output), expected(KEY_A));
  // No identifying text of any patient in any output path.
  for (const rel of filesBelow(output)) {
    for (const v of ['DOE', 'JOHN', 'MRN12345', '19500101', '1950-01-01', '01.01.1950', 'ACC777123', 'SAINT', 'SMITH', 'K1234567']) {
      assert.ok(!rel.toUpperCase().includes(v), `${rel} holds ${v}`);
    }
  }
  // The mapping records old → new components (identifying: it stays beside the key, outside the output).
  const csv = readFileSync(join(work, 'map-a', 'path_component.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'id_old,id_new');
  assert.ok(csv.includes(`SMITH_cases,${renamed(KEY_A, 'SMITH_cases')}`), csv.join('\n'));
  assert.ok(csv.includes(`DOE_JOHN.dcm,${renamed(KEY_A, 'DOE_JOHN.dcm', '.dcm')}`));
  assert.ok(!csv.some((line) => line.startsWith('study1,') || line.startsWith('series1,')), 'kept names are not in the mapping');
});

test('same key: same names in a second run and in two shards; another key: other names, the same kept ones', async () => {
  const again = join(work, 'out-a2');
  await runBatch(options(again, KEY_A));
  assert.deepEqual(filesBelow(again), expected(KEY_A));
  // Shards: each sees only its files, yet decides every folder from the headers of all inputs.
  const sharded = join(work, 'out-shards');
  await runBatch(options(sharded, KEY_A, { shard: { index: 0, count: 2 } }));
  const first = filesBelow(sharded);
  assert.ok(first.length > 0 && first.length < expected(KEY_A).length, `shard 0 wrote ${first.length}`);
  await runBatch(options(sharded, KEY_A, { shard: { index: 1, count: 2 } }));
  assert.deepEqual(filesBelow(sharded), expected(KEY_A));
  const other = join(work, 'out-b');
  await runBatch(options(other, KEY_B));
  assert.deepEqual(filesBelow(other), expected(KEY_B));
  const renamedA = expected(KEY_A).filter((p) => p.includes('anon-'));
  const renamedB = new Set(expected(KEY_B));
  assert.ok(renamedA.every((p) => !renamedB.has(p)), 'renamed paths differ under another key');
  assert.ok(expected(KEY_B).includes(join('study1', 'CT', 'series1', 'IMG0001.dcm')));
});

test('verify with the originals and the mapping pairs every output and finds no identifying value in a path', async () => {
  const output = join(work, 'out-a');
  const mapping = join(work, 'map-a');
  if (!existsSync(output)) await runBatch(options(output, KEY_A, { mappingDir: mapping }));
  const report = verifyTrees({ input, output, mapping });
  assert.equal(report.files.length, expected(KEY_A).length);
  assert.deepEqual(report.files.filter((f) => f.input === null).map((f) => relative(output, f.output)), [], 'every output paired');
  const inPath = report.files.flatMap((f) => f.findings).filter((f) => f.kind === 'identifying-value-in-path' || f.message.startsWith('path component'));
  assert.deepEqual(inPath, []);
  // Each output was paired with its own original (mapped back through path_component.csv).
  const pairs = new Map(report.files.map((f) => [relative(output, f.output), relative(input, f.input!)]));
  assert.equal(pairs.get(join(renamed(KEY_A, 'SMITH_cases'), 'b.dcm')), join('SMITH_cases', 'b.dcm'));
  assert.equal(pairs.get(join(renamed(KEY_A, 'DOE_JOHN_MRN12345'), renamed(KEY_A, 'ACC777123'), renamed(KEY_A, 'doe'))), join('DOE_JOHN_MRN12345', 'ACC777123', 'doe'));
  // Without the mapping, a renamed output is unpaired (and says how to pair it); the scan of its path finds nothing.
  const alone = verifyTrees({ input, output });
  const unpaired = alone.files.filter((f) => f.input === null);
  assert.equal(unpaired.length, expected(KEY_A).filter((p) => p.includes('anon-')).length);
  assert.ok(unpaired.every((f) => f.findings.every((x) => x.kind === 'unpaired' && x.message.includes('--mapping'))), JSON.stringify(unpaired[0]));
  // The same tree mirrored without renaming is what verify reports (the check this feature answers).
  const mirrored = join(work, 'mirrored-as-before');
  for (const rel of filesBelow(input)) {
    if (rel.endsWith('broken.dcm')) continue;
    mkdirSync(dirname(join(mirrored, rel)), { recursive: true });
    writeFileSync(join(mirrored, rel), readFileSync(join(output, expected(KEY_A)[0]))); // any anonymized file
  }
  const before = verifyTrees({ input, output: mirrored }).files.flatMap((f) => f.findings).filter((f) => f.kind === 'identifying-value-in-path');
  assert.ok(before.length >= 8, `${before.length} path findings on the unrenamed tree`);
});

test('quarantined files, a resumed run and the study layout', async () => {
  const tree = join(work, 'mixed-in');
  mkdirSync(join(tree, 'MRN7654321'), { recursive: true });
  writeDicomFile(makeImage({ modality: 'OT', sopClass: SOP.sc, n: 1 }), join(tree, 'MRN7654321', 'screen.dcm'));
  writeDicomFile(makeImage({ modality: 'CT', sopClass: SOP.ct, n: 2 }), join(tree, 'MRN7654321', 'ct.dcm'));
  const output = join(work, 'mixed-out');
  const quarantine = join(work, 'mixed-q');
  const first = await runBatch({ ...options(output, KEY_A, { quarantine }), input: tree });
  assert.equal(first.quarantined, 1);
  assert.deepEqual(filesBelow(quarantine), [join(renamed(KEY_A, 'MRN7654321'), 'screen.dcm')], `the quarantine mirrors the renamed path: ${filesBelow(quarantine)}`);
  assert.deepEqual(filesBelow(output), [join(renamed(KEY_A, 'MRN7654321'), 'ct.dcm')]);
  const again = await runBatch({ ...options(output, KEY_A, { quarantine, skipExisting: true }), input: tree });
  assert.equal(again.skipped, 1, 'the renamed output is found and kept on resume');
  const study = join(work, 'mixed-study');
  await runBatch({ ...options(study, KEY_A, { quarantine: join(work, 'mixed-study-q'), layout: 'study' }), input: tree });
  assert.ok(filesBelow(study).length === 1 && !filesBelow(study)[0].includes('anon-'), 'the study layout names by new identifiers, as before');
});

test('a neutral tree keeps every name', async () => {
  const neutral = join(work, 'neutral-in');
  for (const rel of ['study1/CT/series1/IMG0001.dcm', 'study1/CT/series2/IMG0001.dcm', 'study2/MR/1.dcm']) writePatient(DOE, join(neutral, ...rel.split('/')));
  const output = join(work, 'neutral-out');
  await runBatch({ ...options(output, KEY_A), input: neutral });
  assert.deepEqual(filesBelow(output), filesBelow(neutral));
});

test('a single input file written into a folder: its name is renamed when it is identifying', async () => {
  const folder = join(work, 'single-out');
  mkdirSync(folder);
  await runBatch({ ...options(folder, KEY_A), input: join(input, 'DOE_JOHN_MRN12345', '19500101_CT', 'DOE_JOHN.dcm') });
  assert.deepEqual(filesBelow(folder), [renamed(KEY_A, 'DOE_JOHN.dcm', '.dcm')]);
  await runBatch({ ...options(folder, KEY_A), input: join(input, 'study1', 'CT', 'series1', 'IMG0001.dcm') });
  assert.deepEqual(filesBelow(folder), [renamed(KEY_A, 'DOE_JOHN.dcm', '.dcm'), 'IMG0001.dcm'].sort());
});

test('two inputs that would land on one output path stop the run before anything is written', () => {
  const keys = Keys.fromSecret(KEY_A);
  const clash = [
    { relativePath: 'MRN7654321/a.dcm', values: [] },
    { relativePath: `${renamed(KEY_A, 'MRN7654321')}/a.dcm`, values: [] }, // a tree holding an earlier output
  ];
  assert.throws(() => new MirrorNames(keys, clash), (e: Error) => e instanceof UsageError && /same output path/.test(e.message) && !e.message.includes('MRN'));
  assert.doesNotThrow(() => new MirrorNames(keys, [clash[0], { relativePath: `${renamed(KEY_A, 'MRN7654321')}/b.dcm`, values: [] }]));
});

test('the pre-pass read stops after the last patient and study tag it needs: all its values in, Pixel Data never reached', () => {
  const path = join(input, 'SMITH_cases', 'a.dcm');
  const quick = readDicomFile(path, { stopBeforeTag: PATH_VALUES_END });
  const full = readDicomFile(path);
  try {
    assert.ok(quick.dataset.elements.every((e) => e.tag < PATH_VALUES_END));
    assert.ok(quick.dataset.get(PatientName) && quick.dataset.get(PatientBirthDate));
    assert.equal(quick.dataset.get(PixelData), undefined);
    assert.ok(full.dataset.get(PixelData) !== undefined && full.dataset.elements.length > quick.dataset.elements.length);
    assert.ok(pathIdentifyingValues(full).length >= 8, 'names, ID, accession and six date forms');
    assert.deepEqual(pathIdentifyingValues(quick), pathIdentifyingValues(full));
    assert.deepEqual(headerPathValues(path), pathIdentifyingValues(full));
  } finally {
    quick.close();
    full.close();
  }
});

test('the pre-pass reads little more than the header of a large file (bytes read counted by the kernel)', { skip: existsSync('/proc/self/io') ? false : 'needs /proc/self/io (Linux)' }, () => {
  const path = join(work, 'large', 'big.dcm');
  writePatient(SMITH, path);
  const file = readDicomFile(path);
  try {
    // 8 MiB of pixels after the header: a whole-file read, or a 1 MiB window, would show in the count.
    file.dataset.get(PixelData)!.setValue(new Uint8Array(8 << 20), 'OW');
    writeDicomFile(file, path);
  } finally {
    file.close();
  }
  const readBytes = (): number => Number(/rchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
  const before = readBytes();
  const values = headerPathValues(path);
  const read = readBytes() - before;
  assert.ok(values !== null && values.some((v) => v.folded === 'PID-4711'));
  // The count includes /proc/self/io itself (a few hundred bytes).
  assert.ok(read < 160 * 1024, `${read} bytes read to look at the header of a ${8 << 20}-byte file`);
});

test('a header out of tag order whose Patient ID comes after the groups the pre-pass reads: never written under a name holding it', async () => {
  const tree = join(work, 'unsorted-in');
  const path = join(tree, 'ZEBRAFINCH', 'IMG0001.dcm');
  writePatient({ ...SMITH, id: 'ZEBRAFINCH' }, path);
  const file = readDicomFile(path);
  try {
    // Patient ID moved to the end, after the Pixel Data: a non-conformant order some writers produce.
    const elements = file.dataset.elements;
    const at = elements.findIndex((e) => e.tag === PatientID);
    elements.push(...elements.splice(at, 1));
    writeDicomFile(file, path);
  } finally {
    file.close();
  }
  const reread = readDicomFile(path);
  try {
    assert.equal(reread.dataset.elements.at(-1)?.tag, PatientID, 'the file really is out of order');
  } finally {
    reread.close();
  }
  assert.ok(!headerPathValues(path)!.some((v) => v.folded === 'ZEBRAFINCH'), 'the quick read does not reach it');
  const output = join(work, 'unsorted-out');
  const summary = await runBatch({ ...options(output, KEY_A), input: tree, jobs: 1 });
  assert.equal(summary.failed, 1);
  assert.deepEqual(filesBelow(output), []);
  // A sorted file of the same patient in the folder: the pre-pass sees the ID, the folder is renamed, both are written.
  writePatient({ ...SMITH, id: 'ZEBRAFINCH' }, join(tree, 'ZEBRAFINCH', 'IMG0002.dcm'));
  const output2 = join(work, 'unsorted-out-2');
  const summary2 = await runBatch({ ...options(output2, KEY_A), input: tree, jobs: 1 });
  assert.equal(summary2.failed, 0);
  assert.deepEqual(filesBelow(output2), [`${renamed(KEY_A, 'ZEBRAFINCH')}${sep}IMG0001.dcm`, `${renamed(KEY_A, 'ZEBRAFINCH')}${sep}IMG0002.dcm`]);
});

test('headers that cannot be read: their names are decided by the patterns alone, and counted', () => {
  assert.equal(headerPathValues(join(input, 'SMITH_cases', 'broken.dcm')), null);
  const values = headerPathValues(join(input, 'SMITH_cases', 'a.dcm'));
  assert.ok(values !== null && values.some((v) => v.what === 'the Patient ID'));
  const names = new MirrorNames(Keys.fromSecret(KEY_A), [
    { relativePath: 'MRN7654321/19991231_CT/x.dcm', values: null },
    { relativePath: 'case-2020-02-03/CT/IMG0001.dcm', values: null },
    { relativePath: 'SMITH/CT/IMG0001.dcm', values: null },
  ]);
  assert.equal(names.unreadable, 3);
  assert.equal(names.outputRelativePath('MRN7654321/19991231_CT/x.dcm'), `${renamed(KEY_A, 'MRN7654321')}/${renamed(KEY_A, '19991231_CT')}/x.dcm`);
  assert.equal(names.outputRelativePath('case-2020-02-03/CT/IMG0001.dcm'), `${renamed(KEY_A, 'case-2020-02-03')}/CT/IMG0001.dcm`);
  assert.equal(names.outputRelativePath('SMITH/CT/IMG0001.dcm'), 'SMITH/CT/IMG0001.dcm', 'a bare name is only known from a header');
});

test('property: no identifying value of any file below survives in an output path component, and names are stable', () => {
  const keys = Keys.fromSecret(KEY_A);
  const file = readDicomFile(EXAMPLE_CT);
  let base: ReturnType<typeof pathIdentifyingValues>;
  try { base = pathIdentifyingValues(file); } finally { file.close(); }
  const word = fc.stringMatching(/^Q[A-Z]{2,7}$/); // never one of the neutral names
  const neutral = fc.constantFrom('CT', 'MR', 'series1', 'IMG0001.dcm', 'study', 'x.dcm');
  fc.assert(fc.property(fc.array(fc.record({ family: word, given: word, id: fc.stringMatching(/^[A-Z]{2}\d{4,7}$/), sep: fc.constantFrom('_', '-', ' ', '^', '.') }), { minLength: 1, maxLength: 4 }), neutral, (patients, kept) => {
    const inputs = patients.flatMap((p, i) => {
      const values = [...base, { folded: p.family, what: 'a Patient Name part' }, { folded: p.given, what: 'a Patient Name part' }, { folded: p.id, what: 'the Patient ID' }];
      return [
        { relativePath: `${p.family}${p.sep}${p.given}/${kept}/f${i}.dcm`, values },
        { relativePath: `all/${p.id}${p.sep}${i}.dcm`, values },
        { relativePath: `all/${kept}/g${i}.dcm`, values },
      ];
    });
    const names = new MirrorNames(keys, inputs);
    const again = new MirrorNames(keys, [...inputs].reverse());
    for (const { relativePath, values } of inputs) {
      const out = names.outputRelativePath(relativePath);
      assert.equal(again.outputRelativePath(relativePath), out, 'the order of the inputs does not matter');
      for (const component of out.split('/')) {
        for (const v of values) {
          const at = component.toUpperCase().indexOf(v.folded);
          if (at < 0) continue;
          const before = component[at - 1], after = component[at + v.folded.length];
          assert.ok((before !== undefined && /[A-Za-z0-9]/.test(before)) || (after !== undefined && /[A-Za-z0-9]/.test(after)), `${out} holds a value`);
        }
      }
      assert.deepEqual(checkPathAgainst(out, values), [], 'verify finds no value of the file in its output path');
      assert.deepEqual(scanPath(out), [], 'nor a pattern');
      assert.ok(out.endsWith('.dcm'));
      assert.ok(out.split('/').includes(kept) || !relativePath.split('/').includes(kept), `${kept} is kept in ${out}`);
    }
  }), { numRuns: 60 });
});

test('real files (corpus dwv/): names that hold their own patient values are renamed; verify pairs all and finds none in a path', { skip: corpusSkip() }, async () => {
  const real = join(CORPUS_DIR, 'dwv');
  const output = join(work, 'dwv-out');
  const mapping = join(work, 'dwv-map');
  await runBatch({ ...options(output, KEY_A, { mappingDir: mapping, quarantine: join(work, 'dwv-q') }), input: real });
  const outputs = filesBelow(output);
  assert.ok(outputs.some((p) => p.includes('anon-')) && outputs.some((p) => !p.includes('anon-')), 'some renamed, some kept');
  const before = verifyTrees({ input: real, output: real }).files.flatMap((f) => f.findings).filter((f) => f.kind === 'identifying-value-in-path');
  assert.ok(before.length > 0, 'the input names hold identifying values of their files');
  const report = verifyTrees({ input: real, output, mapping });
  const verified = new Set(report.files.map((f) => relative(output, f.output)));
  assert.deepEqual(outputs.filter((p) => p.includes('anon-') && !verified.has(p)), [], 'every renamed output is verified');
  assert.deepEqual(report.files.filter((f) => f.input === null).map((f) => f.output), []);
  assert.deepEqual(report.files.flatMap((f) => f.findings).filter((f) => f.kind === 'identifying-value-in-path'), []);
});
