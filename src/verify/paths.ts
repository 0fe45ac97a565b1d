// Output paths that carry identifying values. A PACS export or a hand-made tree is often named after its patient
// (`DOE_JOHN_MRN12345/19500101_CT/DOE_JOHN.dcm`); a mirrored output tree copies those names. With originals, each
// component of the output's path below the output root is searched for the original's Patient Name parts, Patient
// ID, Accession Number, Patient Birth Date and Study Date (as YYYYMMDD, YYYY-MM-DD and DD.MM.YYYY) and Institution
// Name, delimited by anything but a letter or digit (high: 'identifying-value-in-path'). Without originals, the
// path is scanned with verify's free-text patterns (`_` read as a space), plus YYYYMMDD dates. Never a value in a
// message: the component's position, what it holds, and the masked value.

import type { DicomFile } from '../dicom/part10.js';
import { getString } from '../dicom/values.js';
import { AccessionNumber, InstitutionName, PatientBirthDate, PatientID, PatientName, StudyDate } from '../dicom/tags.generated.js';
import { maskValue } from './mask.js';
import { PATTERNS } from './patterns.js';
import { fold } from './walk.js';
import { GENERIC_VALUES } from './identifying.js';
import type { Finding } from './types.js';

export interface PathValue {
  /** Upper case. */
  folded: string;
  what: string;
}

/** The original's values that must not name an output folder or file. */
export function pathIdentifyingValues(original: DicomFile): PathValue[] {
  const text = (tag: number): string => {
    const el = original.dataset.get(tag);
    return el && el.items === null ? getString(original.dataset, el, original.datasetSource).trim() : '';
  };
  const out: PathValue[] = [];
  const add = (value: string, what: string, min = 3): void => {
    const folded = fold(value.trim());
    if ([...folded].length >= min && !GENERIC_VALUES.has(folded) && !/^(.)\1*$/.test(folded)) out.push({ folded, what });
  };
  for (const group of text(PatientName).split('=')) {
    add(group.replace(/\^+/g, ' ').trim(), 'the Patient Name', 4);
    for (const part of group.split(/[\^ ]/)) add(part, 'a Patient Name part');
  }
  add(text(PatientID), 'the Patient ID');
  add(text(AccessionNumber), 'the Accession Number');
  add(text(InstitutionName), 'the Institution Name', 4);
  for (const [tag, what] of [[PatientBirthDate, 'the Patient Birth Date'], [StudyDate, 'the Study Date']] as const) {
    const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text(tag));
    if (!m) continue;
    for (const form of [`${m[1]}${m[2]}${m[3]}`, `${m[1]}-${m[2]}-${m[3]}`, `${m[3]}.${m[2]}.${m[1]}`]) add(form, what);
  }
  return out;
}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** `relativePath`: the output's path below the output root ('/'-separated or the platform's). */
export function checkPathAgainst(relativePath: string, values: readonly PathValue[]): Finding[] {
  const findings: Finding[] = [];
  const components = relativePath.split(/[\\/]/).filter((c) => c !== '');
  components.forEach((component, i) => {
    const upper = fold(component);
    const seen = new Set<string>();
    for (const v of values) {
      for (let at = upper.indexOf(v.folded); at >= 0; at = upper.indexOf(v.folded, at + 1)) {
        if (isWordChar(upper[at - 1]) || isWordChar(upper[at + v.folded.length])) continue;
        if (seen.has(v.what)) break;
        seen.add(v.what);
        findings.push({
          severity: 'high', tagPath: '', kind: 'identifying-value-in-path',
          message: `path component ${i + 1} of ${components.length} (${i === components.length - 1 ? 'the file name' : 'a folder'}) holds ${v.what} of the original`,
          masked: maskValue(v.folded),
        });
        break;
      }
    }
  });
  return findings;
}

const PATH_DATE = /(?<![A-Za-z0-9])(19\d{2}|20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![A-Za-z0-9])/g;

/** Without originals: verify's patterns over each path component, and YYYYMMDD dates. */
export function scanPath(relativePath: string): Finding[] {
  const findings: Finding[] = [];
  const components = relativePath.split(/[\\/]/).filter((c) => c !== '');
  components.forEach((component, i) => {
    const text = component.replace(/\.dcm$/i, '').replace(/_/g, ' ');
    const where = `path component ${i + 1} of ${components.length} (${i === components.length - 1 ? 'the file name' : 'a folder'})`;
    for (const p of [...PATTERNS, { kind: 'pattern-date' as const, severity: 'medium' as const, what: 'a date (YYYYMMDD)', regex: PATH_DATE, accept: undefined }]) {
      p.regex.lastIndex = 0;
      for (let m = p.regex.exec(text); m; m = p.regex.exec(text)) {
        if (p.accept && !p.accept(m)) continue;
        findings.push({ severity: p.severity, tagPath: '', kind: p.kind, message: `${where} holds ${p.what}`, masked: maskValue(m[0]) });
      }
    }
  });
  return findings;
}
