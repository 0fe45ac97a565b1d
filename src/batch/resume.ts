// --skip-existing keeps an existing output only when it is provably a complete output of this run's key and Plan: a
// regular, non-empty file that parses to its end, whose file meta names our Implementation Class UID and carries the
// run fingerprint (fingerprint.ts) of this run, and, for plans with the PS3.15 profile, whose Deidentification Method
// names this tool. Every output is fsynced before its rename (files/atomic-output.ts), so such a file at a final name
// was whole on disk. Anything else is written again, and the report says why.

import { lstatSync } from 'node:fs';
import { IMPLEMENTATION_CLASS_UID } from '../dicom/create.js';
import { DeidentificationMethod, ImplementationClassUID } from '../dicom/tags.generated.js';
import { readDicomFile, type DicomFile, type ReadOptions } from '../dicom/part10.js';
import { getString, getStrings } from '../dicom/values.js';
import { fingerprintOf } from './fingerprint.js';

/** What lies at an output path when a resumed run gets there. */
export type ExistingOutput = 'none' | 'ours' | 'not-ours' | 'other-run';

export const KEPT_NOTE = 'output exists (--skip-existing)';
export const REDONE_NOTE = 'an existing output was not a complete output of this tool: written again (--skip-existing)';
export const OTHER_RUN_NOTE = 'an existing output was made with another key or other options (its run fingerprint differs, or it has none): written again (--skip-existing)';

/** The report note for an output written again over what was found, or null when nothing was there. */
export function redoneNote(found: ExistingOutput): string | null {
  return found === 'not-ours' ? REDONE_NOTE : found === 'other-run' ? OTHER_RUN_NOTE : null;
}

/**
 * `methodText`: the De-identification Method the plan's markers write (null: a plan without markers); `fingerprint`:
 * this run's (fingerprint.ts).
 */
export function existingOutput(path: string, methodText: string | null, fingerprint: string, readOptions: ReadOptions = {}): ExistingOutput {
  let size: number;
  try {
    const st = lstatSync(path);
    if (!st.isFile()) return 'not-ours';
    size = st.size;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'none' : 'not-ours';
  }
  if (size === 0) return 'not-ours';
  let file: DicomFile;
  try {
    file = readDicomFile(path, readOptions);
  } catch {
    return 'not-ours';
  }
  try {
    if (!carriesOurMarks(file, methodText)) return 'not-ours';
    return fingerprintOf(file.meta, file.source) === fingerprint ? 'ours' : 'other-run';
  } finally {
    file.close();
  }
}

function carriesOurMarks(file: DicomFile, methodText: string | null): boolean {
  const implementation = file.meta?.get(ImplementationClassUID);
  if (!implementation || getString(file.meta!, implementation, file.source) !== IMPLEMENTATION_CLASS_UID) return false;
  if (methodText === null) return true;
  const method = file.dataset.get(DeidentificationMethod);
  return method !== undefined && method.items === null && getStrings(file.dataset, method, file.datasetSource).includes(methodText);
}
