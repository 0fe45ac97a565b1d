// Small in-memory datasets and one-action plans for the action tests: build → anonymize → encode → read back.

import type { Action, Plan, Selector } from '../../../src/plan/plan.js';
import { Anonymizer } from '../../../src/anonymize/anonymizer.js';
import { Keys } from '../../../src/anonymize/keys.js';
import { DataElement, DataSet } from '../../../src/dicom/dataset.js';
import { createDicomFile } from '../../../src/dicom/create.js';
import type { DicomFile } from '../../../src/dicom/part10.js';
import { encodeNumbers, newItem, newSequenceElement, newStringElement } from '../../../src/dicom/values.js';
import { formatTag, makeTag, type Tag } from '../../../src/dicom/tag.js';
import { isStringVR } from '../../../src/dicom/vr.js';
import { anonymizeAndReread, flatten, type FlatValue } from './flatten.js';
import { completePlan } from '../../../src/config/build.js';

/** The secret behind KEY, for tests that compute a keyed value from its definition (test/helpers/keyed.ts). */
export const KEY_SECRET = 'action-tests-key-0123456789abcdef';
export const KEY = Keys.fromSecret(KEY_SECRET);
export const OTHER_KEY = Keys.fromSecret('another-key-for-action-tests-9876');
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const SOP_CLASS = '1.2.840.10008.5.1.4.1.1.7';

/** [tag, VR, value]: text for string VRs, numbers for binary number VRs (and OW/OL/OF/OD), bytes for anything. */
export type Spec = [Tag, string, string | number[] | Uint8Array];

const NUMBER_TYPE: Record<string, string> = { OW: 'US', OL: 'UL', OF: 'FL', OD: 'FD', OV: 'UV' };

export function element(ds: DataSet, [tag, vr, value]: Spec): DataElement {
  if (typeof value === 'string' && isStringVR(vr)) {
    try {
      return newStringElement(ds, tag, vr, value);
    } catch {
      // Too long or malformed for the VR: stored as is (padded), as a real file might hold it.
      const el = new DataElement(tag, vr);
      el.setValue(Buffer.from(value.length % 2 ? `${value} ` : value, 'latin1'));
      return el;
    }
  }
  const el = new DataElement(tag, vr);
  if (value instanceof Uint8Array) el.setValue(value);
  else if (typeof value === 'string') el.setValue(Buffer.from(value, 'latin1'));
  else el.setValue(encodeNumbers(ds, NUMBER_TYPE[vr] ?? vr, value), vr);
  return el;
}

export interface Identity {
  patientId?: string;
  studyUid?: string;
  seriesUid?: string;
  sopInstanceUid?: string;
  charset?: string;
}

/** A Secondary Capture-like file with the identity elements and `specs` (charset first, so text is encoded in it). */
export function makeFile(specs: Spec[], id: Identity = {}): DicomFile {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  if (id.charset !== undefined) ds.put(newStringElement(ds, makeTag(0x0008, 0x0005), 'CS', id.charset));
  const sop = id.sopInstanceUid ?? '1.2.826.0.1.3680043.10.99.3';
  ds.put(newStringElement(ds, makeTag(0x0008, 0x0016), 'UI', SOP_CLASS));
  ds.put(newStringElement(ds, makeTag(0x0008, 0x0018), 'UI', sop));
  ds.put(newStringElement(ds, makeTag(0x0010, 0x0020), 'LO', id.patientId ?? 'PAT-1'));
  ds.put(newStringElement(ds, makeTag(0x0020, 0x000d), 'UI', id.studyUid ?? '1.2.826.0.1.3680043.10.99.1'));
  ds.put(newStringElement(ds, makeTag(0x0020, 0x000e), 'UI', id.seriesUid ?? '1.2.826.0.1.3680043.10.99.2'));
  for (const spec of specs) ds.put(element(ds, spec));
  return createDicomFile(ds, EXPLICIT_LE, SOP_CLASS, sop);
}

/** Adds a sequence with one item holding `specs`. */
export function addSequence(file: DicomFile, tag: Tag, specs: Spec[]): void {
  const seq = newSequenceElement(tag);
  file.dataset.put(seq);
  const item = newItem(file.dataset, seq);
  for (const spec of specs) item.put(element(item, spec));
  seq.setItems([item]);
}

export function planOf(action: Action, selectors: Selector[]): Plan {
  return completePlan({
    rules: selectors.map((selector, i) => ({ selector, action, origin: `test.rules[${i}]` })),
    profile: null,
    unmatched: 'keep',
    dateShift: { scope: 'patient', rangeDays: 50 },
  });
}

export const tagSel = (tag: Tag): Selector => ({ kind: 'tag', tag });

/** Runs `action` on the given tags of `file` (written and read back); returns the flattened result. */
export function runAction(action: Action, tags: Tag[], file: DicomFile, keys: Keys = KEY): Map<string, FlatValue> {
  const out = anonymizeAndReread(new Anonymizer(planOf(action, tags.map(tagSel)), keys), file);
  return flatten(out.dataset, out.datasetSource);
}

/** Value of one top-level element after `action` (undefined when removed). */
export function valueAfter(action: Action, spec: Spec, id: Identity = {}, keys: Keys = KEY): FlatValue | undefined {
  const flat = runAction(action, [spec[0]], makeFile([spec], id), keys);
  return flat.get(pathOf(spec[0]));
}

export const pathOf = (tag: Tag): string => formatTag(tag);
