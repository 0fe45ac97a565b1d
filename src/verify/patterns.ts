// Scanning outputs alone (no originals to compare with): free text is searched for things that look identifying.
// The original values are gone, so patterns stand in for them:
//   - a capitalised name after a title (Dr., Mr., Mrs., Ms., Miss, Prof.)                          medium
//   - a PN component seen in the PN elements of the same study (a name that survived somewhere)  medium
//   - an MRN-like ID: 1-4 capital letters followed by 6 or more digits (our ANON and DEV pseudonyms excepted)  medium
//   - a phone number (3-3-4 digit groups with separators, or + and country code)                 medium
//   - an e-mail address                                                                          medium
//   - a postal address (house number + words + a street word; or German street word + number)     medium
//   - a date in a common format (dd/mm/yyyy, yyyy-mm-dd, 12 March 2020, March 12, 2020)          low
// Free text = the values of LO, SH, ST, LT, UT and UC elements (private ones too) and of UN elements holding text,
// at any depth. PN, CS, UI, DA/DT/TM and numbers are structured, not free text.

import type { DicomFile } from '../dicom/part10.js';
import { getString, getStrings } from '../dicom/values.js';
import { isPrivateCreatorTag } from '../dicom/tag.js';
import { GENERIC_VALUES } from './identifying.js';
import { maskValue } from './mask.js';
import type { Finding, FindingKind, Severity } from './types.js';
import { fold, looksLikeText, walkFile } from './walk.js';
import { trimPaddingEnd } from '../dicom/padding.js';

const FREE_TEXT_VRS = new Set(['LO', 'SH', 'ST', 'LT', 'UT', 'UC']);
const MONTHS = 'Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?';

interface Pattern {
  kind: FindingKind;
  severity: Severity;
  what: string;
  regex: RegExp;
  accept?: (match: RegExpExecArray) => boolean;
}

const validDayMonth = (d: string, m: string): boolean => {
  const day = Number(d), month = Number(m);
  return (day >= 1 && day <= 31 && month >= 1 && month <= 12) || (month >= 1 && month <= 31 && day >= 1 && day <= 12);
};

const RAW_PATTERNS: Pattern[] = [
  { kind: 'pattern-name', severity: 'medium', what: 'a name after a title', regex: /\b(?:Dr|Mr|Mrs|Ms|Miss|Prof)\.?\s+[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?/g },
  {
    kind: 'pattern-id', severity: 'medium', what: 'an MRN-like identifier', regex: /\b[A-Z]{1,4}[-_ ]?\d{6,}\b/g,
    accept: (m) => !/^(?:ANON|DEV)\d+$/.test(m[0]),
  },
  { kind: 'pattern-phone', severity: 'medium', what: 'a phone number', regex: /(?<![\d.])(?:\+\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\d.])|\+\d{1,3}[\s-]\d{1,4}[\s-]\d{3,}(?:[\s-]\d+)*/g },
  { kind: 'pattern-email', severity: 'medium', what: 'an e-mail address', regex: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g },
  {
    kind: 'pattern-address', severity: 'medium', what: 'a postal address',
    regex: /\b\d{1,5}\s+(?:[A-Z][A-Za-z]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Square|Sq|Terrace|Parkway|Pkwy)\b\.?|\b[A-ZÄÖÜ][a-zäöüß]+(?:strasse|straße|weg|gasse|platz|allee)\s+\d{1,4}[a-z]?\b/g,
  },
  {
    kind: 'pattern-date', severity: 'low', what: 'a date',
    regex: /\b(\d{1,2})[/-](\d{1,2})[/-](\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b|\b\d{1,2}\.?\s+(?:MONTHS)\.?,?\s+\d{4}\b|\b(?:MONTHS)\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b/g,
    accept: (m) => (m[1] ? validDayMonth(m[1], m[2]) : m[4] ? validDayMonth(m[6], m[5]) : true),
  },
];
export const PATTERNS: readonly Pattern[] = RAW_PATTERNS.map((p) => ({ ...p, regex: new RegExp(p.regex.source.replaceAll('MONTHS', MONTHS), p.regex.flags) }));

/** Free-text values of the output, with their tag paths. */
function freeText(file: DicomFile): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  for (const { dataset, element, path, source, inMeta } of walkFile(file)) {
    if (inMeta || element.items || isPrivateCreatorTag(element.tag)) continue;
    if (FREE_TEXT_VRS.has(element.vr)) {
      const text = getString(dataset, element, source);
      if (text !== '') out.push({ path, text });
    } else if (element.vr === 'UN' && element.valueLength <= 1 << 20) {
      const bytes = element.bytes(source);
      if (looksLikeText(bytes)) out.push({ path, text: trimPaddingEnd(Buffer.from(bytes).toString('latin1')) });
    }
  }
  return out;
}

/** PN components (4+ characters, not generic, not our pseudonyms) of the output's PN elements. */
export function personNameComponents(file: DicomFile): Set<string> {
  const names = new Set<string>();
  for (const { dataset, element, source } of walkFile(file)) {
    if (element.vr !== 'PN' || element.items) continue;
    for (const value of getStrings(dataset, element, source)) {
      for (const piece of value.split(/[=^]/)) {
        const p = fold(piece.trim());
        if ([...p].length >= 4 && !GENERIC_VALUES.has(p) && !/^ANON\d*$/.test(p)) names.add(p);
      }
    }
  }
  return names;
}

/** Pattern findings in the free text of `file`; `names` are PN components of the study to look for in that text. */
export function scanFile(file: DicomFile, names: ReadonlySet<string> = personNameComponents(file)): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const report = (f: Finding, key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(f);
  };
  for (const { path, text } of freeText(file)) {
    for (const p of PATTERNS) {
      p.regex.lastIndex = 0;
      for (let m = p.regex.exec(text); m; m = p.regex.exec(text)) {
        if (p.accept && !p.accept(m)) continue;
        report({ severity: p.severity, tagPath: path, kind: p.kind, message: `free text holds ${p.what}`, masked: maskValue(m[0]) }, `${path}|${p.kind}|${m.index}`);
      }
    }
    const upper = fold(text);
    for (const name of names) {
      const at = upper.indexOf(name);
      if (at < 0) continue;
      const before = upper[at - 1], after = upper[at + name.length];
      if ((before && /[\p{L}\p{N}]/u.test(before)) || (after && /[\p{L}\p{N}]/u.test(after))) continue;
      report({ severity: 'medium', tagPath: path, kind: 'pattern-name', message: 'free text holds a name component seen in a PN element of the study', masked: maskValue(name) }, `${path}|pn|${name}`);
    }
  }
  return findings;
}
