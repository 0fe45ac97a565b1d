// Matching text read in the pixels against the original header's identifying values: names split on ^ and into
// words, IDs, dates in several formats, institution, physicians; fuzzy as the recogniser reads (spaces dropped,
// O read as 0, ^ as ~); short values only as whole words; the keep-list never keeps a header value.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DataSet } from '../../src/dicom/dataset.js';
import { newItem, newSequenceElement, newStringElement } from '../../src/dicom/values.js';
import { identifyingHeaderValues, isKeepListText, matchHeaderValues } from '../../src/anonymize/burned-in/text-match.js';
import { DEFAULT_KEEP_WORDS } from '../../src/profiles/burned-in.js';
import { dateForms, GENERIC, normaliseForOcr as normaliseForMatch, PARTICLES } from '../../src/identifying/index.js';
import {
  AccessionNumber, InstitutionName, Modality, OtherPatientIDsSequence, PatientBirthDate, PatientID, PatientName, ReferringPhysicianName, StudyDate,
} from '../../src/dicom/tags.generated.js';

function header(values: Record<number, string>): DataSet {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  const vr: Record<number, string> = {
    [PatientName]: 'PN', [PatientID]: 'LO', [AccessionNumber]: 'SH', [PatientBirthDate]: 'DA', [StudyDate]: 'DA', [InstitutionName]: 'LO',
    [ReferringPhysicianName]: 'PN', [Modality]: 'CS',
  };
  for (const [tag, value] of Object.entries(values)) ds.put(newStringElement(ds, Number(tag), vr[Number(tag)], value));
  return ds;
}

const DS = header({
  [PatientName]: 'SMITH^JOHN PAUL', [PatientID]: 'MRN-0012345', [AccessionNumber]: 'A1B2C3', [PatientBirthDate]: '19870314',
  [StudyDate]: '20240117', [InstitutionName]: 'St. Mary Hospital', [ReferringPhysicianName]: 'DOE^JANE', [Modality]: 'US',
});
const VALUES = identifyingHeaderValues(DS);

test('names (components and words), IDs, accession, institution and physicians match as the recogniser reads them', () => {
  const cases: [string, string[]][] = [
    ['SMITH^JOHN', ['PatientName']],
    ['SMITH~JOHN', ['PatientName']],
    ['SMlTH JOHN', ['PatientName']], // a lower-case l for I does not match SMITH; JOHN still does
    ['JOHNPAUL', ['PatientName']],
    ['Smith, John', ['PatientName']],
    ['ID: MRN0012345', ['PatientID']],
    ['MRN 0O12345', ['PatientID']], // O read for 0
    ['Acc# A1B2C3', ['AccessionNumber']],
    ['ST.MARYH0SPITAL', ['InstitutionName']],
    ['Dr DOE', ['ReferringPhysicianName']],
    ['US', []], // Modality is not identifying
    ['LIVER', []],
    ['', []],
  ];
  for (const [text, expected] of cases) assert.deepEqual(matchHeaderValues(text, VALUES), expected, text);
});

test('dates match in YYYYMMDD, YYYY-MM-DD, DD.MM.YYYY, MM/DD/YYYY, DD/MM/YY, with time after them; no other date does', () => {
  // The finder's date forms, separators dropped as the recogniser's text is: at least the five numeric ones.
  const read = new Set(dateForms('19870314').map(normaliseForMatch));
  for (const form of ['19870314', '14031987', '03141987', '140387', '031487']) assert.ok(read.has(form), form);
  for (const text of ['19870314', '1987-03-14', '14.03.1987', '03/14/1987', 'DOB 14/03/87', '1987-03-14 10:22']) {
    assert.deepEqual(matchHeaderValues(text, VALUES), ['PatientBirthDate'], text);
  }
  assert.deepEqual(matchHeaderValues('2024-01-17 14:32', VALUES), ['StudyDate']);
  assert.deepEqual(matchHeaderValues('1987-03-15', VALUES), []);
  assert.deepEqual(dateForms('not a date'), []);
});

test('a form shared by two attributes names both; an old YYYY.MM.DD date is a date; a name\'s prefix or suffix (Mr, M.D.) is no one', () => {
  const ds = header({ [PatientBirthDate]: '20240117', [ReferringPhysicianName]: 'DOE^JANE^^Mr.^M.D.' });
  // As some old files hold it (a DA of 10 characters; the writer refuses one, so it is written as LO here).
  ds.put(newStringElement(ds, StudyDate, 'LO', '2024.01.17'));
  assert.deepEqual(matchHeaderValues('17.01.2024', identifyingHeaderValues(ds)).sort(), ['PatientBirthDate', 'StudyDate']);
  assert.deepEqual(matchHeaderValues('01/17/24', identifyingHeaderValues(ds)).sort(), ['PatientBirthDate', 'StudyDate']);
  assert.deepEqual(matchHeaderValues('MR', identifyingHeaderValues(ds)), []);
  assert.deepEqual(matchHeaderValues('MD', identifyingHeaderValues(ds)), []);
  assert.deepEqual(matchHeaderValues('JANE', identifyingHeaderValues(ds)), ['ReferringPhysicianName']);
});

test('a short value matches only as a whole word; Other Patient IDs Sequence items count', () => {
  const ds = header({ [PatientName]: 'LI^R', [PatientID]: 'AP' });
  const seq = newSequenceElement(OtherPatientIDsSequence);
  ds.put(seq);
  const item = newItem(ds, seq);
  item.put(newStringElement(item, PatientID, 'LO', 'XK99817'));
  seq.setItems([item]);
  const values = identifyingHeaderValues(ds);
  assert.deepEqual(matchHeaderValues('R', values), ['PatientName']);
  assert.deepEqual(matchHeaderValues('R', values, 2), [], 'verify ignores one-character values');
  assert.deepEqual(matchHeaderValues('AP', values, 2), ['PatientID']);
  assert.deepEqual(matchHeaderValues('AP SUPINE', values), ['PatientID']);
  assert.deepEqual(matchHeaderValues('CAPITAL', values), [], 'AP inside a word is not the ID');
  assert.deepEqual(matchHeaderValues('other XK99817', values), ['OtherPatientIDsSequence']);
});

test('generic words and name particles are no one\'s value, as in prose (the span finder\'s lists); a middle initial still is', () => {
  const values = identifyingHeaderValues(header({ [PatientName]: 'VAN DER BERG^E', [PatientID]: 'UNKNOWN', [InstitutionName]: 'ANONYMOUS' }));
  assert.deepEqual(matchHeaderValues('CARAVAN', values), [], 'VAN alone is not the name');
  assert.deepEqual(matchHeaderValues('UNDERSIZED', values), []);
  assert.deepEqual(matchHeaderValues('UNKNOWN ANONYMOUS', values), [], 'placeholders identify no one');
  assert.deepEqual(matchHeaderValues('BERG', values), ['PatientName']);
  assert.deepEqual(matchHeaderValues('VANDERBERG', values), ['PatientName']);
  assert.deepEqual(matchHeaderValues('E', values), ['PatientName'], 'a one-letter initial still refuses the keep-list');
});

test('keep-list: only keep-list words stay, and never a word that is a header value', () => {
  const keep = new Set(DEFAULT_KEEP_WORDS);
  assert.equal(isKeepListText('R', keep, VALUES), true);
  assert.equal(isKeepListText('AP SUPINE', keep, VALUES), true);
  assert.equal(isKeepListText('ap', keep, VALUES), true);
  assert.equal(isKeepListText('R SMITH', keep, VALUES), false, 'a keep word beside a name');
  assert.equal(isKeepListText('LIVER', keep, VALUES), false);
  assert.equal(isKeepListText('', keep, VALUES), false, 'nothing read: blanked');
  assert.equal(isKeepListText('  ~ ', keep, VALUES), false);
  const supine = identifyingHeaderValues(header({ [PatientName]: 'SUPINE^ANNA' }));
  assert.equal(isKeepListText('SUPINE', keep, supine), false, 'a keep-list word equal to the patient name is blanked');
  assert.equal(isKeepListText('PRONE', keep, supine), true);
});

test('property: a value is found whatever case, spacing and O/0 confusion the reader adds around it', () => {
  fc.assert(fc.property(
    fc.stringMatching(/^[A-Z]{3,10}$/).filter((f) => !GENERIC.has(f) && !PARTICLES.has(f)), fc.stringMatching(/^[0-9]{5,9}$/), fc.constantFrom('', ' ', '  '), fc.boolean(), fc.stringMatching(/^[a-z ]{0,6}$/),
    (family, id, gap, lower, noise) => {
      const values = identifyingHeaderValues(header({ [PatientName]: `${family}^X`, [PatientID]: id }));
      const read = (s: string): string => [...(lower ? s.toLowerCase() : s)].join(gap).replace(/0/g, 'O');
      assert.ok(matchHeaderValues(`${noise}${read(family)}${noise}`, values).includes('PatientName'));
      assert.ok(matchHeaderValues(`${read(id)} ${noise}`, values).includes('PatientID'));
      assert.equal(normaliseForMatch(normaliseForMatch(read(family))), normaliseForMatch(read(family)), 'idempotent');
    },
  ), { numRuns: 200 });
});
