// Who issued a dataset's Patient ID: Issuer of Patient ID (0010,0021) and its qualifiers' Universal Entity ID and
// type ((0010,0024) item), as pseudonyms, date shifts and the mapping's patient_id.csv key a patient (issue #22).

import type { DataSet } from '../dicom/dataset.js';
import type { ByteSource } from '../dicom/source.js';
import { getString } from '../dicom/values.js';
import { IssuerOfPatientID, IssuerOfPatientIDQualifiersSequence, UniversalEntityID, UniversalEntityIDType } from '../dicom/tags.generated.js';

/** "SITE-A", "SITE-A&2.16.840.1.113883.3.72&ISO" with qualifiers, "" when none. */
export function patientIssuerOf(dataset: DataSet, source?: ByteSource): string {
  const issuer = dataset.get(IssuerOfPatientID);
  const qualifiers = dataset.get(IssuerOfPatientIDQualifiersSequence)?.items?.[0];
  const qualifier = (tag: number): string => {
    const el = qualifiers?.get(tag);
    return qualifiers && el && el.items === null ? getString(qualifiers, el, source).trim() : '';
  };
  const parts = [issuer && issuer.items === null ? getString(dataset, issuer, source).trim() : '', qualifier(UniversalEntityID), qualifier(UniversalEntityIDType)];
  return parts[1] === '' && parts[2] === '' ? parts[0] : parts.join('&');
}
