// The --mapping collector: old → new identifiers gathered in input order (patient IDs always, for collisions; the UID
// tables and renamed path components for --mapping), written as the CSV files of src/records/mapping.ts, atomically.
// A new Patient ID given to two different originals fails the later file (collision(), called by the ledger in
// input order, with or without --mapping): never a silent merge of two patients.
// These files re-identify the data: they must stay with whoever holds the key, never with the shared output.

import { join } from 'node:path';
import { writeFileAtomically } from '../files/atomic-output.js';
import { formatMappingCsv, MAPPING_FILES } from '../records/index.js';
import type { InstanceIds } from './protocol.js';

export const MAPPING_WARNING =
  'the --mapping files link the new identifiers to the original PatientIDs and UIDs: they are identifying data; ' +
  'keep them as safe as the originals and never share them with the anonymized files';

/** The error of a file whose new Patient ID is already that of another original Patient ID (never a value). */
export const PSEUDONYM_COLLISION =
  'pseudonym collision: two different original Patient IDs got the same new Patient ID in this run; this file was ' +
  'not written (nor kept), so that two patients are never merged';

export class MappingCollector {
  readonly patientIds = new Map<string, string>();
  readonly study = new Map<string, string>();
  readonly series = new Map<string, string>();
  readonly sop = new Map<string, string>();
  /** Renamed path components (mirror layout), old → new. */
  readonly pathComponents = new Map<string, string>();
  /** New Patient ID → the original it was first given to, and that file: always kept, for collisions. */
  private readonly patientOfNew = new Map<string, { old: string; input: string }>();

  /** `uids`: keep the UID tables too (--mapping); without, only the patient IDs, to detect collisions. */
  constructor(private readonly uids = true) {}

  /**
   * The error for a file whose new Patient ID was already given to a different original (in an earlier file of the
   * run, or in this one), or null. A collision records nothing: the caller fails the file.
   */
  collision(ids: InstanceIds, input: string): string | null {
    const local = new Map<string, string>();
    for (const [o, n] of ids.patientIds) {
      const prior = this.patientOfNew.get(n);
      if (prior !== undefined && prior.old !== o) return `${PSEUDONYM_COLLISION} (the other one first in ${prior.input})`;
      const here = local.get(n);
      if (here !== undefined && here !== o) return `${PSEUDONYM_COLLISION} (both in this file)`;
      local.set(n, o);
    }
    for (const [n, o] of local) if (!this.patientOfNew.has(n)) this.patientOfNew.set(n, { old: o, input });
    return null;
  }

  add(ids: InstanceIds): void {
    for (const [o, n] of ids.patientIds) this.patientIds.set(o, n);
    if (!this.uids) return;
    if (ids.study) this.study.set(ids.study[0], ids.study[1]);
    if (ids.series) this.series.set(ids.series[0], ids.series[1]);
    if (ids.sop) this.sop.set(ids.sop[0], ids.sop[1]);
  }

  write(dir: string, options: { safeCsv?: boolean } = {}): string[] {
    const files: [string, Map<string, string> | [string, string][]][] = [
      [MAPPING_FILES.patientId, this.patientIds],
      [MAPPING_FILES.study, this.study],
      [MAPPING_FILES.series, this.series],
      [MAPPING_FILES.sop, this.sop],
      [MAPPING_FILES.allUids, [...this.study, ...this.series, ...this.sop]],
      [MAPPING_FILES.pathComponents, this.pathComponents],
    ];
    return files.map(([name, rows]) => {
      const path = join(dir, name);
      writeFileAtomically(path, formatMappingCsv(rows, options.safeCsv), { makeFolder: true });
      return path;
    });
  }
}
