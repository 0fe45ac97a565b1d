// Scanning outputs alone (no originals to compare with): free text is searched for things that look identifying.
// The original values are gone, so patterns stand in for them: the patterns of plan/identifying-patterns.ts (a name
// after a title, an MRN-like ID, a phone number, an e-mail or postal address, a date in a common format), and
//   - a PN component seen in the PN elements of the same study (a name that survived somewhere)  medium
// Free text = the values of LO, SH, ST, LT, UT and UC elements (private ones too) and of UN elements holding text,
// at any depth. PN, CS, UI, DA/DT/TM and numbers are structured, not free text.

import type { DicomFile } from '../dicom/part10.js';
import { getString, getStrings } from '../dicom/values.js';
import { isPrivateCreatorTag } from '../dicom/tag.js';
import { GENERIC_VALUES } from './identifying.js';
import { maskValue } from './mask.js';
import type { Finding } from './types.js';
import { PATTERNS, patternMatches } from '../plan/identifying-patterns.js';
import { fold, looksLikeText, walkFile } from './walk.js';
import { trimPaddingEnd } from '../dicom/padding.js';

const FREE_TEXT_VRS = new Set(['LO', 'SH', 'ST', 'LT', 'UT', 'UC']);

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
    for (const { pattern: p, match, index } of patternMatches(text, PATTERNS)) {
      report({ severity: p.severity, tagPath: path, kind: p.kind, message: `free text holds ${p.what}`, masked: maskValue(match) }, `${path}|${p.kind}|${index}`);
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
