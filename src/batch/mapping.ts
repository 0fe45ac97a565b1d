// The --mapping collector: old → new identifiers gathered in input order (patient IDs always, for collisions; the UID
// tables and renamed path components for --mapping), written as the CSV files of src/records/mapping.ts, atomically,
// readable by the owner only. A patient is a Patient ID with its issuer (two sites' 12345 are two rows). A new Patient
// ID given to two different originals fails the later file (collision(), called by the ledger in input order, with
// or without --mapping): never a silent merge of two patients.
// These files re-identify the data: they must stay with whoever holds the key, never with the shared output.

import { join } from 'node:path';
import { writeFileAtomically } from '../files/atomic-output.js';
import { formatMappingCsv, MAPPING_FILES, PATIENT_ID_HEADER, type PatientIdRow } from '../records/index.js';
import type { InstanceIds } from './protocol.js';

export const MAPPING_WARNING =
  'the --mapping files link the new identifiers to the original PatientIDs and UIDs: they are identifying data; ' +
  'keep them as safe as the originals and never share them with the anonymized files';

/** The error of a file whose new Patient ID is already that of another original Patient ID (never a value). */
export const PSEUDONYM_COLLISION =
  'pseudonym collision: two different original Patient IDs got the same new Patient ID in this run; this file was ' +
  'not written (nor kept), so that two patients are never merged';

/** The key of a patient in the mapping: the original Patient ID and its issuer. */
const patientOf = (row: PatientIdRow): string => `${row.old}\u0000${row.issuer}`;

export class MappingCollector {
  /** Patient ID rows by patient (original ID and issuer). */
  readonly patientIds = new Map<string, PatientIdRow>();
  readonly study = new Map<string, string>();
  readonly series = new Map<string, string>();
  readonly sop = new Map<string, string>();
  /** Renamed path components (mirror layout), old → new. */
  readonly pathComponents = new Map<string, string>();
  /** New Patient ID → the patient (original ID and issuer) it was first given to, and that file: kept, for collisions. */
  private readonly patientOfNew = new Map<string, { patient: string; input: string }>();

  /** `uids`: keep the UID tables too (--mapping); without, only the patient IDs, to detect collisions. */
  constructor(private readonly uids = true) {}

  /**
   * The error for a file whose new Patient ID was already given to a different original (in an earlier file of the
   * run, or in this one), or null. A collision records nothing: the caller fails the file.
   */
  collision(ids: InstanceIds, input: string): string | null {
    const local = new Map<string, string>();
    for (const row of ids.patientIds) {
      const patient = patientOf(row);
      const prior = this.patientOfNew.get(row.new);
      if (prior !== undefined && prior.patient !== patient) return `${PSEUDONYM_COLLISION} (the other one first in ${prior.input})`;
      const here = local.get(row.new);
      if (here !== undefined && here !== patient) return `${PSEUDONYM_COLLISION} (both in this file)`;
      local.set(row.new, patient);
    }
    for (const [n, patient] of local) if (!this.patientOfNew.has(n)) this.patientOfNew.set(n, { patient, input });
    return null;
  }

  add(ids: InstanceIds): void {
    for (const row of ids.patientIds) this.patientIds.set(patientOf(row), row);
    if (!this.uids) return;
    if (ids.study) this.study.set(ids.study[0], ids.study[1]);
    if (ids.series) this.series.set(ids.series[0], ids.series[1]);
    if (ids.sop) this.sop.set(ids.sop[0], ids.sop[1]);
  }

  write(dir: string, options: { safeCsv?: boolean } = {}): string[] {
    const patients = [...this.patientIds.values()].map((r) => [r.old, r.new, r.issuer]);
    writeFileAtomically(join(dir, MAPPING_FILES.patientId), formatMappingCsv(patients, options.safeCsv, PATIENT_ID_HEADER), { makeFolder: true });
    const files: [string, Map<string, string> | [string, string][]][] = [
      [MAPPING_FILES.study, this.study],
      [MAPPING_FILES.series, this.series],
      [MAPPING_FILES.sop, this.sop],
      [MAPPING_FILES.allUids, [...this.study, ...this.series, ...this.sop]],
      [MAPPING_FILES.pathComponents, this.pathComponents],
    ];
    return [join(dir, MAPPING_FILES.patientId), ...files.map(([name, rows]) => {
      const path = join(dir, name);
      writeFileAtomically(path, formatMappingCsv(rows, options.safeCsv), { makeFolder: true });
      return path;
    })];
  }
}
