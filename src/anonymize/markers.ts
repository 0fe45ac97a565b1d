// De-identification markers (PS3.15 E.1.1): Patient Identity Removed, the method text and CID 7050 codes, and
// Longitudinal Temporal Information Modified, appended to whatever the instance already carried. What to write comes
// from the plan (plan.markers); this module only knows how.

import type { DataSet } from '../dicom/dataset.js';
import { getString, getStrings, newItem, newSequenceElement, newStringElement, setString } from '../dicom/values.js';
import type { Markers } from '../plan/plan.js';
import type { RunFacts } from './context.js';
import {
  CodeMeaning, CodeValue, CodingSchemeDesignator, DeidentificationMethod, DeidentificationMethodCodeSequence,
  LongitudinalTemporalInformationModified, PatientIdentityRemoved,
} from '../dicom/tags.generated.js';

function putString(dataset: DataSet, tag: number, vr: string, text: string): void {
  const existing = dataset.get(tag);
  if (existing) setString(dataset, existing, text, vr);
  else dataset.put(newStringElement(dataset, tag, vr, text));
}

export function addMarkers(dataset: DataSet, markers: Markers, facts: RunFacts): void {
  putString(dataset, PatientIdentityRemoved, 'CS', 'YES');

  const method = dataset.get(DeidentificationMethod);
  const methods = method ? getStrings(dataset, method) : [];
  if (!methods.includes(markers.methodText)) putString(dataset, DeidentificationMethod, 'LO', [...methods, markers.methodText].join('\\'));

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
  for (const code of markers.codes) {
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

  const temporal = markers.temporal === 'MODIFIED-IF-SHIFTED' ? (facts.datesShifted ? 'MODIFIED' : 'REMOVED') : markers.temporal;
  putString(dataset, LongitudinalTemporalInformationModified, 'CS', temporal);
}
