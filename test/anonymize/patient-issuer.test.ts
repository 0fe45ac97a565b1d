// Issuer of Patient ID in pseudonyms and date shifts (issue #22 item 5): two sites' Patient ID 12345 are two
// patients; the same site's are one; a file without an issuer keeps the pseudonym it always had.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/complete.js';
import { getString } from '../../src/dicom/values.js';
import { IssuerOfPatientID, PatientID, PatientName, StudyDate } from '../../src/dicom/tags.generated.js';
import { makeFile, type Spec } from './helpers/one-rule.js';

const KEYS = Keys.fromSecret('patient-issuer-key-0123456789ab');
const engine = new Anonymizer(basicProfilePlan(['retainLongitudinalModifiedDates']), KEYS);

function run(issuer: string | null): { id: string; date: string } {
  const specs: Spec[] = [[PatientName, 'PN', 'Doe^Jane'], [StudyDate, 'DA', '20240304']];
  if (issuer !== null) specs.push([IssuerOfPatientID, 'LO', issuer]);
  const file = makeFile(specs, { patientId: '12345' });
  const result = engine.anonymizeFile(file);
  const text = (tag: number): string => getString(file.dataset, file.dataset.get(tag)!);
  assert.equal(result.original.patientIssuer, issuer ?? '');
  return { id: text(PatientID), date: text(StudyDate) };
}

test('two issuers: two pseudonyms and two date shifts; one issuer: one of each', () => {
  const a = run('SITE-A'), b = run('SITE-B'), a2 = run('SITE-A');
  assert.notEqual(a.id, b.id);
  assert.equal(a.id, a2.id);
  assert.equal(a.date, a2.date);
  // The shifts are keyed per patient: with two patients they differ (p = 1/(2 × 365) of a chance match).
  assert.notEqual(a.date, b.date);
});

test('no issuer: the pseudonym of the Patient ID alone, as before', () => {
  assert.equal(run(null).id, KEYS.pseudonym('patient', '12345', 'ANON'));
});
