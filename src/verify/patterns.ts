// Scanning free text for what identifies someone without the original values: the span finder of src/identifying/
// (names after titles and cues or from name lists, CJK names, dates, times, phones, e-mail, URLs, IP and postal
// addresses, MRN-like IDs, ages over 89), and the PN components seen in the PN elements of the same study (a name
// that survived somewhere). Used alone on outputs (no originals) and beside the paired comparison, so a name left in
// prose is a finding either way.
// Free text = the values of LO, SH, ST, LT, UT and UC elements (private ones too) and of UN elements holding text,
// at any depth. PN, CS, UI, DA/DT/TM and numbers are structured, not free text; so is a UN element that the safe
// private table (E.3.10-1) gives a VR other than text (a GE "0\268435456\0\0" is IS, numbers: as the engine reads
// it, anonymize/actions/clean.ts), and a file meta element (group 0002) wherever it sits (a version name "DCF 3.3.12c").

import type { DicomFile } from '../dicom/part10.js';
import { getString, getStrings } from '../dicom/values.js';
import { isPrivateCreatorTag, isPrivateTag, tagGroup } from '../dicom/tag.js';
import { safePrivateVR } from './profile.js';
import { GENERIC_VALUES } from './identifying.js';
import { maskValue } from './mask.js';
import type { Finding, FindingKind, Severity } from './types.js';
import { findSpans, HeaderTerms, type SpanKind } from '../identifying/index.js';
import { NOT_PROSE, NOT_PROSE_SEQUENCES } from '../identifying/structured-text.js';
import { fold, looksLikeText, walkFile, type Visit } from './walk.js';
import { trimPaddingEnd } from '../dicom/padding.js';

/** Each kind of span as a finding kind, severity and what it is (for the message; output paths too, paths.ts). */
export const AS_FINDING: Readonly<Record<SpanKind, [FindingKind, Severity, string]>> = {
  name: ['pattern-name', 'medium', 'a person name'],
  id: ['pattern-id', 'medium', 'an MRN-like identifier'],
  phone: ['pattern-phone', 'medium', 'a phone number'],
  email: ['pattern-email', 'medium', 'an e-mail address'],
  url: ['pattern-url', 'medium', 'a URL'],
  ip: ['pattern-ip', 'medium', 'an IP address'],
  address: ['pattern-address', 'medium', 'a postal address'],
  postal: ['pattern-address', 'medium', 'a postal code'],
  date: ['pattern-date', 'low', 'a date'],
  time: ['pattern-date', 'low', 'a time'],
  age: ['pattern-age', 'low', 'an age over 89'],
  text: ['pattern-name', 'medium', 'a value seen elsewhere'],
};

const FREE_TEXT_VRS = new Set(['LO', 'SH', 'ST', 'LT', 'UT', 'UC']);

/** Free-text values of the output, with their tag paths; `skip`: elements not to scan (e.g. kept on purpose). */
function freeText(file: DicomFile, skip?: (visit: Visit) => boolean): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  for (const visit of walkFile(file)) {
    const { dataset, element, path, source, inMeta, within } = visit;
    if (inMeta || element.items || isPrivateCreatorTag(element.tag) || skip?.(visit)) continue;
    if (tagGroup(element.tag) === 0x0002) continue;
    if (NOT_PROSE.has(element.tag) || (within !== null && NOT_PROSE_SEQUENCES.has(within))) continue;
    const tableVR = element.vr === 'UN' && isPrivateTag(element.tag) ? safePrivateVR(element) : undefined;
    if (tableVR !== undefined && tableVR !== '' && !FREE_TEXT_VRS.has(tableVR)) continue;
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
export function scanFile(file: DicomFile, names: ReadonlySet<string> = personNameComponents(file), skip?: (visit: Visit) => boolean): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const header = names.size === 0 ? undefined : HeaderTerms.of([...names].map((value) => ({ value, kind: 'name' as const, label: 'PN' })));
  for (const { path, text } of freeText(file, skip)) {
    for (const span of findSpans(text, { header })) {
      const [kind, severity, what] = AS_FINDING[span.kind];
      const key = `${path}|${kind}|${span.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const message = span.by === 'header' ? 'free text holds a name component seen in a PN element of the study' : `free text holds ${what}`;
      findings.push({ severity: span.by === 'header' ? 'medium' : severity, tagPath: path, kind, message, masked: maskValue(text.slice(span.start, span.end)) });
    }
  }
  return findings;
}
