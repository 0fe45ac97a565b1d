// The profile's conditional codes: Responsible Person (0010,2297) and Responsible Organization (0010,2299) are X in
// Table E.1-1 but Type 2C in the Patient Module (required for animals). Emptied when a patient species is given,
// removed otherwise, at the top level and in nested items alike.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { basicProfilePlan } from '../../src/config/build.js';
import { PatientSpeciesDescription, ResponsibleOrganization, ResponsiblePerson } from '../../src/dicom/tags.generated.js';
import { anonymizeAndReread, flatten, type FlatValue } from './helpers/flatten.js';
import { KEY, makeFile, type Spec } from './helpers/one-rule.js';

const responsible: Spec[] = [[ResponsiblePerson, 'PN', 'OWNER^ANNA'], [ResponsibleOrganization, 'LO', 'FARM OF ANNA OWNER']];

function after(specs: Spec[]): Map<string, FlatValue> {
  const out = anonymizeAndReread(new Anonymizer(basicProfilePlan([]), KEY), makeFile(specs));
  return flatten(out.dataset, out.datasetSource);
}

test('a human patient: Responsible Person and Organization are removed, as E.1-1 says (X)', () => {
  const flat = after(responsible);
  assert.equal(flat.get('(0010,2297)'), undefined);
  assert.equal(flat.get('(0010,2299)'), undefined);
});

test('an animal (Patient Species Description given): they are kept present but empty (Type 2C)', () => {
  const flat = after([[PatientSpeciesDescription, 'LO', 'Canine species'], ...responsible]);
  assert.equal(flat.get('(0010,2297)')?.value, '');
  assert.equal(flat.get('(0010,2299)')?.value, '');
  assert.equal(flat.get('(0010,2201)')?.value, 'Canine species', 'the species itself is kept (not in E.1-1)');
});
