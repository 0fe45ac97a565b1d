// One Patient ID seen with different names or birth dates in a run (issue #22 item 5): reported once, as a count, in
// the report's summary and on the log; never a value. Two issuers make two patients, not a conflict.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { basicProfilePlan } from '../../src/config/load.js';
import { runBatch } from '../../src/batch/run.js';
import { readRunReport } from '../../src/records/index.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { IssuerOfPatientID, PatientBirthDate, PatientName } from '../../src/dicom/tags.generated.js';
import { makeFile, type Spec } from '../anonymize/helpers/one-rule.js';

const work = mkdtempSync(join(tmpdir(), 'patient-conflicts-'));
after(() => rmSync(work, { recursive: true, force: true }));

function input(name: string, files: Array<{ id: string; name: string; birth: string; issuer?: string }>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  files.forEach((f, i) => {
    const specs: Spec[] = [[PatientName, 'PN', f.name], [PatientBirthDate, 'DA', f.birth]];
    if (f.issuer) specs.push([IssuerOfPatientID, 'LO', f.issuer]);
    writeDicomFile(makeFile(specs, { patientId: f.id, sopInstanceUid: `1.2.826.0.1.3680043.10.99.3.${i}` }), join(dir, `f${i}.dcm`));
  });
  return dir;
}

test('an ID with two names counts once; the summary and the log say how many, never which', async () => {
  const dir = input('conflict', [
    { id: 'MRN12345Q', name: 'Doe^Jane', birth: '19600101' }, { id: 'MRN12345Q', name: 'Doe^Jane', birth: '19600101' },
    { id: 'MRN12345Q', name: 'Roe^Rick', birth: '19700202' }, { id: 'MRN12345Q', name: 'Poe^Edgar', birth: '19800303' },
    { id: '777', name: 'Zed^Zoe', birth: '19900404' },
  ]);
  const log: string[] = [];
  const reportPath = join(work, 'conflict.json');
  const s = await runBatch({ input: dir, output: join(work, 'out1'), recursive: true, plan: basicProfilePlan([]), secret: { kind: 'text', text: 'patient-conflicts-key-0123456789' }, jobs: 1, log: (m) => log.push(m), reportPath });
  assert.equal(s.ok, 5);
  assert.equal(s.patientIdConflicts, 1);
  assert.equal(readRunReport(reportPath).summary.patientIdConflicts, 1);
  const warning = log.filter((l) => /Patient ID\(s\) came with more than one/.test(l));
  assert.equal(warning.length, 1);
  // Whole values, not digit runs a duration or a rate in the report could hold by chance (0.0196... holds 1960).
  for (const secret of ['MRN12345Q', 'Doe', 'Roe', 'Poe', '19600101', '19700202', '19800303']) {
    assert.ok(!log.join('\n').includes(secret) && !readFileSync(reportPath, 'utf8').includes(secret), 'no value in the log or report');
  }
});

test('the same ID under two issuers: two patients, no conflict', async () => {
  const dir = input('issuers', [
    { id: '12345', name: 'Doe^Jane', birth: '19600101', issuer: 'SITE-A' }, { id: '12345', name: 'Roe^Rick', birth: '19700202', issuer: 'SITE-B' },
  ]);
  const s = await runBatch({ input: dir, output: join(work, 'out2'), recursive: true, plan: basicProfilePlan([]), secret: { kind: 'text', text: 'patient-conflicts-key-0123456789' }, jobs: 1, log: () => {} });
  assert.equal(s.ok, 2);
  assert.equal(s.patientIdConflicts, undefined);
});
