// The identifying values of a dataset's top level (and its Other Patient IDs Sequence), as HeaderValues labelled by
// attribute keyword: what the finder looks for in the instance's own text and pixels.

import type { DataSet } from '../dicom/dataset.js';
import type { ByteSource } from '../dicom/source.js';
import { getStrings } from '../dicom/values.js';
import { isStringVR } from '../dicom/vr.js';
import {
  AccessionNumber, AcquisitionDate, ContentDate, InstitutionAddress, InstitutionalDepartmentName, InstitutionName, NameOfPhysiciansReadingStudy,
  OperatorsName, OtherPatientIDs, OtherPatientIDsSequence, OtherPatientNames, PatientAddress, PatientAge, PatientBirthDate, PatientBirthName,
  PatientID, PatientMotherBirthName, PatientName, PatientTelephoneNumbers, PerformingPhysicianName, PhysiciansOfRecord, ReferringPhysicianAddress,
  ReferringPhysicianName, ReferringPhysicianTelephoneNumbers, RequestingPhysician, ResponsiblePerson, SeriesDate, StudyDate, StudyID,
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

/** The dataset's identifying values, in the order of IDENTIFYING_ATTRIBUTES. */
export function headerValuesOf(dataset: DataSet, source?: ByteSource, attributes = IDENTIFYING_ATTRIBUTES): HeaderValue[] {
  const out: HeaderValue[] = [];
  const add = (ds: DataSet, tag: number, label: string, kind: HeaderValueKind): void => {
    const el = ds.get(tag);
    if (!el || el.items !== null || !isStringVR(el.vr)) return;
    for (const value of getStrings(ds, el, source)) if (value.trim() !== '') out.push({ value, kind, label });
  };
  for (const [tag, label, kind] of attributes) add(dataset, tag, label, kind);
  for (const item of dataset.get(OtherPatientIDsSequence)?.items ?? []) add(item, PatientID, 'OtherPatientIDsSequence', 'id');
  return out;
}
