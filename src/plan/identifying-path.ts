// Which values of a DICOM header must not name a folder or file, and whether a path component holds one: the one rule
// that verify (src/verify/paths.ts: findings on output paths) and the batch (src/batch/mirror-names.ts: renaming the
// components of the mirror layout) both apply, so that what the batch leaves verify does not report.
//
// Values: the Patient Name (whole, 4+ characters) and its parts, Patient ID, Accession Number, Institution Name (4+),
// Patient Birth Date and Study Date as YYYYMMDD, YYYY-MM-DD and DD.MM.YYYY, and the file's own SOP, Series and Study
// Instance UIDs (a Siemens-style file name is its SOP Instance UID, acquisition date and time inside); 3+ characters,
// not a generic word (GENERIC_VALUES), not one character repeated. A value is found in a component, case-insensitively,
// when it is delimited by anything but a letter or digit; a value in CJK script (a Japanese, Chinese or Korean name:
// its groups also without separators, parts of 2+ characters) is found anywhere in the component, as those scripts
// write names without spaces. Where the header is not at hand, the identifying-span finder's spans of the component
// stand in for the values (src/identifying/path.ts: names from its lists, CJK included, IDs, dates such as YYYYMMDD,
// phones..., and a YYYYMMDDhhmmss date-time stamp standing alone, e.g. inside a UID; `_` read as a space, a trailing
// `.dcm` ignored): the same patterns and thresholds as cleaning and verify's free-text scan.

import type { DicomFile } from '../dicom/part10.js';
import { getString } from '../dicom/values.js';
import {
  AccessionNumber, InstitutionName, PatientBirthDate, PatientID, PatientName, SeriesInstanceUID, SOPInstanceUID, StudyDate, StudyInstanceUID,
} from '../dicom/tags.generated.js';
import { pathSpans, pathText, type SpanKind } from '../identifying/index.js';
import { GENERIC_VALUES } from './generic-values.js';

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
export const PATH_VALUE_TAGS = [PatientName, PatientID, AccessionNumber, InstitutionName, PatientBirthDate, StudyDate, SOPInstanceUID, StudyInstanceUID, SeriesInstanceUID] as const;

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
  const [patientName, patientId, accession, institution, birthDate, studyDate, sopUid, studyUid, seriesUid] = PATH_VALUE_TAGS.map(text);
  for (const group of patientName.split('=')) {
    add(group.replace(/\^+/g, ' ').trim(), 'the Patient Name', 4);
    const cjk = CJK.test(group);
    // Japanese, Chinese and Korean names are written without spaces: the group run together, and parts of 2 characters.
    if (cjk) add(group.replace(/[\^ ]+/g, ''), 'the Patient Name', 2);
    for (const part of group.split(/[\^ ]/)) add(part, 'a Patient Name part', cjk && CJK.test(part) ? 2 : 3);
  }
  add(sopUid, 'the SOP Instance UID', 8);
  add(studyUid, 'the Study Instance UID', 8);
  add(seriesUid, 'the Series Instance UID', 8);
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

/** Han, kana and hangul: scripts that write names without spaces. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Whether `folded` occurs in `upper` delimited by anything but a letter or digit (CJK values: anywhere). */
function occursIn(upper: string, folded: string): boolean {
  if (CJK.test(folded)) return upper.includes(folded);
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

/** The names the mirror layout gives renamed components (RENAMED_PREFIX + 20 hex digits, an extension kept). */
const OWN_PSEUDONYM = /^anon-[0-9a-f]{20}(?:\.[A-Za-z0-9]{1,8})?$/;

/** The identifying spans the finder reports in `component` (src/identifying/path.ts): what each is and its text. */
export function patternsInComponent(component: string): Array<{ kind: SpanKind; match: string }> {
  // A name this tool gave (anon- + 20 keyed hex digits, batch/mirror-names.ts) is not searched: its hex digits read as
  // an ID by chance.
  if (OWN_PSEUDONYM.test(component)) return [];
  const text = pathText(component);
  return pathSpans(component).map((span) => ({ kind: span.kind, match: text.slice(span.start, span.end) }));
}
