// Which values of a DICOM header must not name a folder or file, and whether a path component holds one: the one rule
// that verify (src/verify/paths.ts: findings on output paths) and the batch (src/batch/mirror-names.ts: renaming the
// components of the mirror layout) both apply, so that what the batch leaves verify does not report.
//
// Values: the Patient Name (whole, 4+ characters) and its parts, Patient ID, Accession Number, Institution Name (4+),
// Patient Birth Date and Study Date as YYYYMMDD, YYYY-MM-DD and DD.MM.YYYY; 3+ characters, not a generic word
// (GENERIC_VALUES), not one character repeated. A value is found in a component, case-insensitively, when it is
// delimited by anything but a letter or digit. Patterns (identifying-patterns.ts, `_` read as a space, a trailing
// `.dcm` ignored) stand in for the values where the header is not at hand.

import type { DicomFile } from '../dicom/part10.js';
import { getString } from '../dicom/values.js';
import { AccessionNumber, InstitutionName, PatientBirthDate, PatientID, PatientName, StudyDate } from '../dicom/tags.generated.js';
import { GENERIC_VALUES } from './generic-values.js';
import { PATH_DATE, PATTERNS, patternMatches, type IdentifyingPattern } from './identifying-patterns.js';

export interface PathValue {
  /** Upper case. */
  folded: string;
  /** What it is, for messages ("the Patient ID"): never the value. */
  what: string;
}

const fold = (text: string): string => text.toUpperCase();

/**
 * The top-level tags pathIdentifyingValues reads, and the only ones (it takes its values from this list, in this
 * order); their text is decoded with the Specific Character Set, (0008,0005), before them all.
 */
export const PATH_VALUE_TAGS = [PatientName, PatientID, AccessionNumber, InstitutionName, PatientBirthDate, StudyDate] as const;

/**
 * A tag past all of PATH_VALUE_TAGS: a header read may stop before it (ReadOptions.stopBeforeTag) and still hold every
 * value pathIdentifyingValues needs, when the dataset is in ascending tag order as PS3.5 7.1 requires.
 */
export const PATH_VALUES_END = Math.max(...PATH_VALUE_TAGS) + 1;

/** The header's values that must not name an output folder or file. */
export function pathIdentifyingValues(file: DicomFile): PathValue[] {
  const text = (tag: number): string => {
    const el = file.dataset.get(tag);
    return el && el.items === null ? getString(file.dataset, el, file.datasetSource).trim() : '';
  };
  const out: PathValue[] = [];
  const add = (value: string, what: string, min = 3): void => {
    const folded = fold(value.trim());
    if ([...folded].length >= min && !GENERIC_VALUES.has(folded) && !/^(.)\1*$/.test(folded)) out.push({ folded, what });
  };
  const [patientName, patientId, accession, institution, birthDate, studyDate] = PATH_VALUE_TAGS.map(text);
  for (const group of patientName.split('=')) {
    add(group.replace(/\^+/g, ' ').trim(), 'the Patient Name', 4);
    for (const part of group.split(/[\^ ]/)) add(part, 'a Patient Name part');
  }
  add(patientId, 'the Patient ID');
  add(accession, 'the Accession Number');
  add(institution, 'the Institution Name', 4);
  for (const [date, what] of [[birthDate, 'the Patient Birth Date'], [studyDate, 'the Study Date']] as const) {
    const m = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
    if (!m) continue;
    for (const form of [`${m[1]}${m[2]}${m[3]}`, `${m[1]}-${m[2]}-${m[3]}`, `${m[3]}.${m[2]}.${m[1]}`]) add(form, what);
  }
  return out;
}

/** The components of a relative path ('/'-separated or the platform's). */
export const pathComponents = (relativePath: string): string[] => relativePath.split(/[\\/]/).filter((c) => c !== '');

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** Whether `folded` occurs in `upper` delimited by anything but a letter or digit. */
function occursIn(upper: string, folded: string): boolean {
  for (let at = upper.indexOf(folded); at >= 0; at = upper.indexOf(folded, at + 1)) {
    if (!isWordChar(upper[at - 1]) && !isWordChar(upper[at + folded.length])) return true;
  }
  return false;
}

/** The values found in `component` (the first of each `what`), delimited by anything but a letter or digit. */
export function valuesInComponent(component: string, values: Iterable<PathValue>): PathValue[] {
  const upper = fold(component);
  const found: PathValue[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v.what) || !occursIn(upper, v.folded)) continue;
    seen.add(v.what);
    found.push(v);
  }
  return found;
}

/** Whether `component` holds any of `values` (valuesInComponent, stopping at the first); `upper`: its upper case. */
export function holdsAnyValue(upper: string, values: readonly PathValue[]): boolean {
  for (const v of values) if (occursIn(upper, v.folded)) return true;
  return false;
}

/** Whether any component of `relativePath` holds any of `values` (the check of a whole output path, stopping at the first). */
export function pathHoldsAnyValue(relativePath: string, values: readonly PathValue[]): boolean {
  return values.length > 0 && pathComponents(relativePath).some((c) => holdsAnyValue(fold(c), values));
}

export { fold as foldComponent };

const PATH_PATTERNS: readonly IdentifyingPattern[] = [...PATTERNS, PATH_DATE];

/** The identifying patterns in `component` (`_` read as a space, a trailing `.dcm` ignored). */
export function patternsInComponent(component: string): Array<{ pattern: IdentifyingPattern; match: string }> {
  return patternMatches(component.replace(/\.dcm$/i, '').replace(/_/g, ' '), PATH_PATTERNS);
}
