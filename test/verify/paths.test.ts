// verify checks output paths: a generated tree named after its patient, DOE_JOHN_MRN12345/19500101_CT/DOE_JOHN.dcm,
// mirrored into the output, is a high finding 'identifying-value-in-path' for each component with originals, and the
// date is found by the pattern scan without them; a neutral path gives no path finding; messages hold no value.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/load.js';
import { readDicomFile, type DicomFile } from '../../src/dicom/part10.js';
import { newStringElement } from '../../src/dicom/values.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { AccessionNumber, InstitutionName, PatientBirthDate, PatientID, PatientName, StudyDate } from '../../src/dicom/tags.generated.js';
import { verifyTrees } from '../../src/verify/index.js';
import { checkPathAgainst, pathIdentifyingValues, scanPath } from '../../src/verify/paths.js';

const EXAMPLE_CT = join(fileURLToPath(new URL('../../examples/ct', import.meta.url)), 'slice-001.dcm');
const PATIENT_PATH = join('DOE_JOHN_MRN12345', '19500101_CT', 'DOE_JOHN.dcm');
const VALUES = ['DOE', 'JOHN', 'MRN12345', '19500101', 'ACC777123', 'SAINT ELSEWHERE'];
let root: string;
before(() => { root = mkdtempSync(join(tmpdir(), 'verify-paths-')); });
after(() => rmSync(root, { recursive: true, force: true }));

function write(file: DicomFile, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeDicomFile(file, path);
}

/** The example CT made into DOE^JOHN's, written at `rel` under originals and, anonymized, under outputs. */
function makePair(rel: string): { input: string; output: string } {
  const input = join(root, 'in'), output = join(root, 'out');
  const file = readDicomFile(EXAMPLE_CT);
  try {
    for (const [tag, vr, value] of [[PatientName, 'PN', 'DOE^JOHN'], [PatientID, 'LO', 'MRN12345'], [PatientBirthDate, 'DA', '19500101'],
      [StudyDate, 'DA', '20240102'], [AccessionNumber, 'SH', 'ACC777123'], [InstitutionName, 'LO', 'Saint Elsewhere']] as const) {
      file.dataset.put(newStringElement(file.dataset, tag, vr, value));
    }
    write(file, join(input, rel));
    new Anonymizer(basicProfilePlan([]), Keys.fromSecret('verify-paths-test-key-0123456789')).anonymizeFile(file);
    write(file, join(output, rel)); // what the mirror layout writes
  } finally {
    file.close();
  }
  return { input, output };
}

test('a mirrored tree named after its patient is a high finding for each component, with originals', () => {
  const { input, output } = makePair(PATIENT_PATH);
  const report = verifyTrees({ input, output });
  const path = report.files.flatMap((f) => f.findings).filter((f) => f.kind === 'identifying-value-in-path');
  assert.ok(path.length >= 3, `one per component at least: ${path.map((f) => f.message).join('; ')}`);
  assert.ok(path.every((f) => f.severity === 'high'));
  assert.ok(path.some((f) => f.message.includes('component 1 of 3') && f.message.includes('Patient ID')));
  assert.ok(path.some((f) => f.message.includes('component 2 of 3') && f.message.includes('Birth Date')));
  assert.ok(path.some((f) => f.message.includes('component 3 of 3') && f.message.includes('Patient Name')));
  for (const f of report.files.flatMap((r) => r.findings)) {
    for (const v of VALUES) assert.ok(!f.message.toUpperCase().includes(v), `no value in "${f.message}"`);
  }
  // Without originals: the date in the folder name is found by the pattern scan.
  const alone = verifyTrees({ output }).files.flatMap((f) => f.findings).filter((f) => f.message.startsWith('path component'));
  assert.ok(alone.some((f) => f.kind === 'pattern-date' && f.message.includes('component 2 of 3')), JSON.stringify(alone));
  rmSync(input, { recursive: true }); rmSync(output, { recursive: true });
});

test('a neutral path, other date forms and word boundaries', () => {
  const { input, output } = makePair(join('study1', 'CT', 'slice-001.dcm'));
  const report = verifyTrees({ input, output });
  assert.deepEqual(report.files.flatMap((f) => f.findings).filter((f) => f.message.startsWith('path component')), []);
  assert.deepEqual(verifyTrees({ output }).files.flatMap((f) => f.findings).filter((f) => f.message.startsWith('path component')), []);
  const original = readDicomFile(join(input, 'study1', 'CT', 'slice-001.dcm'));
  try {
    const values = pathIdentifyingValues(original);
    assert.equal(checkPathAgainst('x/1950-01-01/y.dcm', values).length, 1);
    assert.equal(checkPathAgainst('x/01.01.1950/y.dcm', values).length, 1);
    assert.equal(checkPathAgainst('ACC777123.dcm', values)[0]?.message.includes('Accession Number'), true);
    assert.equal(checkPathAgainst('Saint Elsewhere CT/a.dcm', values).length, 1);
    assert.equal(checkPathAgainst('JOHNSON/DOES/a.dcm', values).length, 0, 'parts of longer words are not names');
  } finally {
    original.close();
  }
  assert.equal(scanPath('ANON01234567890123456789/2.25.1234567890/x.dcm').length, 0);
  rmSync(input, { recursive: true }); rmSync(output, { recursive: true });
});
