// The identifying values of a dataset's top level (and its Other Patient IDs Sequence), as HeaderValues labelled by
// attribute keyword: what the finder looks for in the instance's own text and pixels.

import type { DataElement, DataSet } from '../dicom/dataset.js';
import type { ByteSource } from '../dicom/source.js';
import { getStrings } from '../dicom/values.js';
import { allowsMultipleStrings, isStringVR } from '../dicom/vr.js';
import { decodeText, parseSpecificCharacterSet } from '../dicom/charset.js';
import {
  AccessionNumber, AcquisitionDate, ContentDate, InstitutionAddress, InstitutionalDepartmentName, InstitutionName, NameOfPhysiciansReadingStudy,
  OperatorsName, OtherPatientIDs, OtherPatientIDsSequence, OtherPatientNames, PatientAddress, PatientAge, PatientBirthDate, PatientBirthName,
  PatientID, PatientMotherBirthName, PatientName, PatientTelephoneNumbers, PerformingPhysicianName, PhysiciansOfRecord, ReferringPhysicianAddress,
  ReferringPhysicianName, ReferringPhysicianTelephoneNumbers, RequestingPhysician, ResponsiblePerson, SeriesDate, SpecificCharacterSet, StudyDate, StudyID,
} from '../dicom/tags.generated.js';
import type { HeaderValue, HeaderValueKind } from './header.js';

/** The attributes looked for: tag, keyword, kind. */
export const IDENTIFYING_ATTRIBUTES: readonly (readonly [number, string, HeaderValueKind])[] = [
  [PatientName, 'PatientName', 'name'],
  [OtherPatientNames, 'OtherPatientNames', 'name'],
  [PatientBirthName, 'PatientBirthName', 'name'],
  [PatientMotherBirthName, 'PatientMotherBirthName', 'name'],
  [ResponsiblePerson, 'ResponsiblePerson', 'name'],
  [PatientID, 'PatientID', 'id'],
  [OtherPatientIDs, 'OtherPatientIDs', 'id'],
  [AccessionNumber, 'AccessionNumber', 'id'],
  [StudyID, 'StudyID', 'id'],
  [PatientBirthDate, 'PatientBirthDate', 'date'],
  [StudyDate, 'StudyDate', 'date'],
  [SeriesDate, 'SeriesDate', 'date'],
  [AcquisitionDate, 'AcquisitionDate', 'date'],
  [ContentDate, 'ContentDate', 'date'],
  [PatientAge, 'PatientAge', 'age'],
  [PatientAddress, 'PatientAddress', 'text'],
  [PatientTelephoneNumbers, 'PatientTelephoneNumbers', 'id'],
  [InstitutionName, 'InstitutionName', 'text'],
  [InstitutionAddress, 'InstitutionAddress', 'text'],
  [InstitutionalDepartmentName, 'InstitutionalDepartmentName', 'text'],
  [ReferringPhysicianName, 'ReferringPhysicianName', 'name'],
  [ReferringPhysicianAddress, 'ReferringPhysicianAddress', 'text'],
  [ReferringPhysicianTelephoneNumbers, 'ReferringPhysicianTelephoneNumbers', 'id'],
  [PerformingPhysicianName, 'PerformingPhysicianName', 'name'],
  [NameOfPhysiciansReadingStudy, 'NameOfPhysiciansReadingStudy', 'name'],
  [PhysiciansOfRecord, 'PhysiciansOfRecord', 'name'],
  [RequestingPhysician, 'RequestingPhysician', 'name'],
  [OperatorsName, 'OperatorsName', 'name'],
];

const BY_TAG = new Map(IDENTIFYING_ATTRIBUTES.map(([tag, label, kind]) => [tag, { label, kind }]));
/** The attributes in tag order, for headerValuesLater's one pass. */
const SORTED = [...IDENTIFYING_ATTRIBUTES].sort((a, b) => a[0] - b[0]);
/** Past the last attribute looked for (datasets are in ascending tag order, PS3.5 7.1): the pass stops there. */
const LAST_TAG = Math.max(OtherPatientIDsSequence, ...IDENTIFYING_ATTRIBUTES.map(([tag]) => tag));

/**
 * The dataset's identifying values, in the dataset's order. One pass over the top level (DataSet.get is linear, and
 * this runs for every file whose plan cleans prose).
 */
export function headerValuesOf(dataset: DataSet, source?: ByteSource): HeaderValue[] {
  const out: HeaderValue[] = [];
  const add = (ds: DataSet, el: DataElement, label: string, kind: HeaderValueKind): void => {
    if (el.items !== null || !isStringVR(el.vr)) return;
    for (const value of getStrings(ds, el, source)) if (value.trim() !== '') out.push({ value, kind, label });
  };
  const seen = new Set<number>();
  for (const el of dataset.elements) {
    if (el.tag === OtherPatientIDsSequence) {
      for (const item of el.items ?? []) for (const inner of item.elements) if (inner.tag === PatientID) add(item, inner, 'OtherPatientIDsSequence', 'id');
      continue;
    }
    const attribute = BY_TAG.get(el.tag);
    if (attribute === undefined || seen.has(el.tag)) continue; // the first occurrence wins, as DataSet.get
    seen.add(el.tag);
    add(dataset, el, attribute.label, attribute.kind);
  }
  return out;
}

/**
 * headerValuesOf, deferred: the elements' raw bytes and the character set are taken now (one pass, nothing decoded),
 * the values decoded on the first call. The engine calls this before its walk changes anything and decodes only when
 * a prose value needs the header (setValue gives an element new bytes; the captured ones stay the original's).
 */
export function headerValuesLater(dataset: DataSet, source?: ByteSource): () => readonly HeaderValue[] {
  // Snapshots of where each value is (no bytes read now): setValue replaces an element's value, not these. Plain
  // fields and no per-element allocation: this runs once per file whenever the plan cleans prose.
  type Where = { value: Uint8Array | null; bulk: { offset: number; length: number } | null; vr: string; label: string; kind: HeaderValueKind };
  const raw: Where[] = [];
  let charsetAt: Where | null = null;
  let last = -1;
  let next = 0;
  for (const el of dataset.elements) {
    const tag = el.tag;
    if (tag > LAST_TAG) break;
    if (tag === last) continue; // the first occurrence wins, as DataSet.get
    if (tag < last) next = 0; // out of order (a hostile or broken file): look from the start again
    last = tag;
    if (tag === SpecificCharacterSet) { charsetAt = { value: el.value, bulk: el.bulk, vr: el.vr, label: '', kind: 'text' }; continue; }
    if (tag === OtherPatientIDsSequence) {
      for (const item of el.items ?? []) for (const inner of item.elements) if (inner.tag === PatientID && isStringVR(inner.vr)) raw.push({ value: inner.value, bulk: inner.bulk, vr: inner.vr, label: 'OtherPatientIDsSequence', kind: 'id' });
      continue;
    }
    // Both lists ascend: step through the attributes as the tags pass them (no look-up per element).
    while (next < SORTED.length && SORTED[next][0] < tag) next++;
    const attribute = SORTED[next];
    if (attribute === undefined || attribute[0] !== tag || el.items !== null || !isStringVR(el.vr)) continue;
    raw.push({ value: el.value, bulk: el.bulk, vr: el.vr, label: attribute[1], kind: attribute[2] });
  }
  if (raw.length === 0) return () => [];
  const bytesOf = (w: Where): Uint8Array => w.value ?? (w.bulk && source ? source.read(w.bulk.offset, w.bulk.length) : new Uint8Array(0));
  let values: HeaderValue[] | null = null;
  return () => {
    if (values === null) {
      const cs = charsetAt ? bytesOf(charsetAt) : null;
      const charset = cs ? parseSpecificCharacterSet(Buffer.from(cs.buffer, cs.byteOffset, cs.length).toString('latin1')) : [];
      values = raw.flatMap((w) => {
        const text = decodeText(bytesOf(w), charset, w.vr);
        return (allowsMultipleStrings(w.vr) ? text.split('\\') : [text]).map((v) => v.replace(/[\0 ]+$/, '').trim()).filter((v) => v !== '')
          .map((value) => ({ value, kind: w.kind, label: w.label }));
      });
    }
    return values;
  };
}
