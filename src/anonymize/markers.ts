// De-identification markers (PS3.15 E.1.1): Patient Identity Removed, the method text and CID 7050 codes, and
// Longitudinal Temporal Information Modified, appended to whatever the instance already carried.

import type { DataSet } from '../dicom/dataset.js';
import { makeTag } from '../dicom/tag.js';
import { getString, getStrings, newItem, newSequenceElement, newStringElement, setString } from '../dicom/values.js';
import type { ProfileChoice } from '../config/plan.js';
import { CID7050, CID7050_FOR_OPTION } from '../profiles/cid7050.generated.js';
import { PS315_EDITION } from '../profiles/ps315.generated.js';
import type { RunFacts } from './context.js';

export const PATIENT_IDENTITY_REMOVED = makeTag(0x0012, 0x0062);
export const DEIDENTIFICATION_METHOD = makeTag(0x0012, 0x0063);
export const DEIDENTIFICATION_METHOD_CODE_SEQUENCE = makeTag(0x0012, 0x0064);
export const LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED = makeTag(0x0028, 0x0303);
const CODE_VALUE = makeTag(0x0008, 0x0100);
const CODING_SCHEME_DESIGNATOR = makeTag(0x0008, 0x0102);
const CODE_MEANING = makeTag(0x0008, 0x0104);

export const METHOD_TEXT = `dicom-anonymizer: PS3.15 ${PS315_EDITION} Basic Profile`;

function putString(dataset: DataSet, tag: number, vr: string, text: string): void {
  const existing = dataset.get(tag);
  if (existing) setString(dataset, existing, text, vr);
  else dataset.put(newStringElement(dataset, tag, vr, text));
}

export function addMarkers(dataset: DataSet, profile: ProfileChoice, facts: RunFacts): void {
  putString(dataset, PATIENT_IDENTITY_REMOVED, 'CS', 'YES');

  const method = dataset.get(DEIDENTIFICATION_METHOD);
  const methods = method ? getStrings(dataset, method) : [];
  if (!methods.includes(METHOD_TEXT)) putString(dataset, DEIDENTIFICATION_METHOD, 'LO', [...methods, METHOD_TEXT].join('\\'));

  let sequence = dataset.get(DEIDENTIFICATION_METHOD_CODE_SEQUENCE);
  if (!sequence || sequence.items === null) {
    if (sequence) dataset.removeElement(sequence);
    sequence = newSequenceElement(DEIDENTIFICATION_METHOD_CODE_SEQUENCE);
    dataset.put(sequence);
  }
  const present = new Set(
    (sequence.items ?? []).map((item) => {
      const code = item.get(CODE_VALUE);
      return code ? getString(item, code) : '';
    }),
  );
  const wanted = ['basic' as const, ...profile.options].map((o) => CID7050_FOR_OPTION[o]);
  const items = [...(sequence.items ?? [])];
  for (const codeValue of wanted) {
    if (present.has(codeValue)) continue;
    present.add(codeValue);
    const code = CID7050.find((c) => c.codeValue === codeValue);
    if (!code) continue;
    const item = newItem(dataset, sequence);
    item.put(newStringElement(item, CODE_VALUE, 'SH', code.codeValue));
    item.put(newStringElement(item, CODING_SCHEME_DESIGNATOR, 'SH', code.codingSchemeDesignator));
    item.put(newStringElement(item, CODE_MEANING, 'LO', code.codeMeaning));
    items.push(item);
  }
  items.forEach((item, index) => { if (item.parent) item.parent.index = index; });
  sequence.setItems(items);

  const temporal = profile.options.includes('retainLongitudinalFullDates')
    ? 'UNMODIFIED'
    : profile.options.includes('retainLongitudinalModifiedDates') && facts.datesShifted ? 'MODIFIED' : 'REMOVED';
  putString(dataset, LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED, 'CS', temporal);
}

