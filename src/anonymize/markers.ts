// De-identification markers (PS3.15 E.1.1): Patient Identity Removed, the method text and CID 7050 codes, and
// Longitudinal Temporal Information Modified, appended to whatever the instance already carried. What to write comes
// from the plan (plan.markers); this module only knows how.

import type { DataSet } from '../dicom/dataset.js';
import type { ByteSource } from '../dicom/source.js';
import { getString, getStrings, newItem, newSequenceElement, newStringElement, setString } from '../dicom/values.js';
import type { CodedConcept, Markers } from '../plan/plan.js';
import type { RunFacts } from './context.js';
import {
  BurnedInAnnotation, CodeMeaning, CodeValue, CodingSchemeDesignator, DeidentificationMethod, DeidentificationMethodCodeSequence,
  LongitudinalTemporalInformationModified, PatientIdentityRemoved,
} from '../dicom/tags.generated.js';

function putString(dataset: DataSet, tag: number, vr: string, text: string): void {
  const existing = dataset.get(tag);
  if (existing) setString(dataset, existing, text, vr);
  else dataset.put(newStringElement(dataset, tag, vr, text));
}

/**
 * Writes the markers. `pixelsPending`: the burned-in step has not cleaned the pixels yet (an at-risk file, or one
 * whose rules have rectangles to blank): Patient Identity Removed is written NO, and only the burned-in step
 * (markPixelsCleaned) turns it YES after a successful redaction.
 */
export function addMarkers(dataset: DataSet, markers: Markers, facts: RunFacts, pixelsPending = false): void {
  putString(dataset, PatientIdentityRemoved, 'CS', pixelsPending ? 'NO' : 'YES');

  const method = dataset.get(DeidentificationMethod);
  const methods = method ? getStrings(dataset, method) : [];
  if (!methods.includes(markers.methodText)) putString(dataset, DeidentificationMethod, 'LO', [...methods, markers.methodText].join('\\'));

  appendCodes(dataset, markers.codes);

  const temporal = markers.temporal === 'MODIFIED-IF-SHIFTED' ? (facts.datesShifted ? 'MODIFIED' : 'REMOVED') : markers.temporal;
  putString(dataset, LongitudinalTemporalInformationModified, 'CS', temporal);
}

/** Patient Identity Removed YES again: the pixel step found nothing to do on a file that was not at risk. */
export function confirmIdentityRemoved(dataset: DataSet, markers: Markers | null, identityKept = false): void {
  if (markers && !identityKept) putString(dataset, PatientIdentityRemoved, 'CS', 'YES');
}

/**
 * After the pixels were cleaned: Burned In Annotation (0028,0301) NO always; with markers, Patient Identity Removed
 * YES and the Clean Pixel Data code appended to (0012,0064).
 */
export function markPixelsCleaned(dataset: DataSet, markers: Markers | null, identityKept = false): void {
  putString(dataset, BurnedInAnnotation, 'CS', 'NO');
  if (!markers) return;
  // A rule kept the patient's name, ID...: the pixels being clean does not make the instance so.
  putString(dataset, PatientIdentityRemoved, 'CS', identityKept ? 'NO' : 'YES');
  if (markers.cleanPixelCode) appendCodes(dataset, [markers.cleanPixelCode]);
}

/** After faces were blanked: the Clean Recognizable Visual Features code appended to (0012,0064). */
export function appendCleanFacesCode(dataset: DataSet, markers: Markers): void {
  if (markers.cleanFacesCode) appendCodes(dataset, [markers.cleanFacesCode]);
}

/** Patient Identity Removed YES → NO where it is present (plans without markers never add it). */
export function withdrawIdentityRemoved(dataset: DataSet, source?: ByteSource): void {
  const el = dataset.get(PatientIdentityRemoved);
  if (el && el.items === null && getString(dataset, el, source).trim().toUpperCase() !== 'NO') putString(dataset, PatientIdentityRemoved, 'CS', 'NO');
}

function appendCodes(dataset: DataSet, codes: readonly CodedConcept[]): void {
  let sequence = dataset.get(DeidentificationMethodCodeSequence);
  if (!sequence || sequence.items === null) {
    if (sequence) dataset.removeElement(sequence);
    sequence = newSequenceElement(DeidentificationMethodCodeSequence);
    dataset.put(sequence);
  }
  const present = new Set(
    (sequence.items ?? []).map((item) => {
      const code = item.get(CodeValue);
      return code ? getString(item, code) : '';
    }),
  );
  const items = [...(sequence.items ?? [])];
  for (const code of codes) {
    if (present.has(code.codeValue)) continue;
    present.add(code.codeValue);
    const item = newItem(dataset, sequence);
    item.put(newStringElement(item, CodeValue, 'SH', code.codeValue));
    item.put(newStringElement(item, CodingSchemeDesignator, 'SH', code.codingSchemeDesignator));
    item.put(newStringElement(item, CodeMeaning, 'LO', code.codeMeaning));
    items.push(item);
  }
  items.forEach((item, index) => { if (item.parent) item.parent.index = index; });
  sequence.setItems(items);
}
