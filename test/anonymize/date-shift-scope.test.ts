// The profile's date shift (Retain Longitudinal Modified Dates) follows the configured scope: one offset per
// patient by default, one per study with {"dateShift": {"scope": "study"}}.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataSet } from '../../src/dicom/dataset.js';
import { createDicomFile } from '../../src/dicom/create.js';
import { getString, newStringElement } from '../../src/dicom/values.js';
import { makeTag } from '../../src/dicom/tag.js';
import { parseConfig } from '../../src/config/load.js';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';

const STUDY_DATE = makeTag(0x0008, 0x0020);
const key = Keys.fromSecret('date-shift-scope-test-key-0123456789');

function studyDateAfter(config: string, studyUid: string): string {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  ds.put(newStringElement(ds, makeTag(0x0010, 0x0020), 'LO', 'MRN123456'));
  ds.put(newStringElement(ds, makeTag(0x0020, 0x000d), 'UI', studyUid));
  ds.put(newStringElement(ds, STUDY_DATE, 'DA', '20240315'));
  const file = createDicomFile(ds, '1.2.840.10008.1.2.1', '1.2.840.10008.5.1.4.1.1.7', `${studyUid}.1`);
  new Anonymizer(parseConfig(config), key).anonymizeFile(file);
  return getString(file.dataset, file.dataset.get(STUDY_DATE)!);
}

const days = (d: string): number => Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8)) / 86_400_000;

test('patient scope: two studies of one patient move by the same offset', () => {
  const config = '{"profile": {"name": "basic", "options": ["retainLongitudinalModifiedDates"]}}';
  const first = studyDateAfter(config, '1.2.3.100');
  assert.notEqual(first, '20240315', 'the date is shifted (equal unshifted dates would pass the check below)');
  assert.equal(studyDateAfter(config, '1.2.3.200'), first);
});

test('study scope: offsets differ between studies, stay within the configured days', () => {
  const config = '{"profile": {"name": "basic", "options": ["retainLongitudinalModifiedDates"], "dateShift": {"scope": "study", "days": 30}}}';
  const studies = Array.from({ length: 8 }, (_, i) => `1.2.3.${i + 1}`);
  const shifted = studies.map((uid) => studyDateAfter(config, uid));
  assert.ok(new Set(shifted).size > 1, 'different studies get different offsets');
  for (const d of shifted) {
    const offset = days(d) - days('20240315');
    assert.ok(offset !== 0 && Math.abs(offset) <= 30, `offset ${offset} within ±30 days, never 0`);
  }
  assert.equal(studyDateAfter(config, studies[0]), shifted[0], 'deterministic under the key');
});
