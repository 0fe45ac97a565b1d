// verify --mapping: the output's Patient ID is the pseudonym that the run's patient_id.csv gives its original's Patient
// ID and issuer (records/mapping.ts; a version-1 file, without issuers, by the ID alone). A finding when the row gives
// another pseudonym (the mapping cannot re-identify the file), or when there is no row but the output's ID is another
// row's pseudonym (two patients under one). No row and no such pseudonym: the run did not pseudonymize the ID (a
// rules file's dummy), nothing to check. Never a value in the message.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DicomFile } from '../dicom/part10.js';
import { getString } from '../dicom/values.js';
import { PatientID } from '../dicom/tags.generated.js';
import { patientIssuerOf } from '../anonymize/patient-issuer.js';
import { MAPPING_FILES, patientIdRows, readMappingCsv } from '../records/index.js';
import type { Finding } from './types.js';

export interface PatientMapping {
  /** Pseudonym by original Patient ID and issuer (`${id}\u0000${issuer}`), or by ID alone for a version-1 file. */
  pseudonyms: Map<string, string>;
  /** Every pseudonym of the file. */
  given: Set<string>;
  withIssuer: boolean;
}

/** DIR/patient_id.csv, or null when the folder has none (a mapping of the UIDs only). */
export function readPatientMapping(dir: string): PatientMapping | null {
  const file = join(dir, MAPPING_FILES.patientId);
  if (!existsSync(file)) return null;
  const rows = readMappingCsv(file);
  const withIssuer = rows.some((r) => r.issuer !== undefined);
  const key = (id: string, issuer: string): string => (withIssuer ? `${id}\u0000${issuer}` : id);
  return { pseudonyms: new Map(patientIdRows(rows).map((r) => [key(r.old, r.issuer), r.new])), given: new Set(rows.map((r) => r.new)), withIssuer };
}

/** A finding when the output's top-level Patient ID is not the mapping's pseudonym for the original's (ID, issuer). */
export function patientMappingFindings(original: DicomFile, output: DicomFile, mapping: PatientMapping): Finding[] {
  const idOf = (file: DicomFile): string => {
    const el = file.dataset.get(PatientID);
    return el && el.items === null ? getString(file.dataset, el, file.datasetSource).trim() : '';
  };
  const old = idOf(original), fresh = idOf(output);
  // Kept as it was, or removed: the run wrote no pseudonym, so the mapping has nothing to say.
  if (old === '' || fresh === '' || fresh === old) return [];
  const issuer = patientIssuerOf(original.dataset, original.datasetSource);
  const expected = mapping.pseudonyms.get(mapping.withIssuer ? `${old}\u0000${issuer}` : old);
  if (expected === fresh || (expected === undefined && !mapping.given.has(fresh))) return [];
  return [{
    severity: 'medium', tagPath: '(0010,0020)', kind: 'patient-id-not-mapped', masked: null,
    message: expected === undefined
      ? "the Patient ID is the pseudonym the mapping's patient_id.csv gives another original Patient ID or issuer, and this original's has no row"
      : "the Patient ID is not the pseudonym the mapping's patient_id.csv gives the original's Patient ID and issuer",
  }];
}
