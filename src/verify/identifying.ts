// The values of an original that must not appear in its anonymized output, and the rules for what is NOT searched.
//
// Collected (at any depth, file meta included, decoded per the original's inherited character set): the values of
// PN, LO, SH, ST, LT, UT, UC, AE, CS, DA, DT, TM and UI elements whose attribute the profile does not keep
// (see profile.ts), the text of private elements (string VRs, and UN/OB values that are text), and for PN each
// component group and its family, given and middle name components.
//
// NOT searched (documented rules; each is a source of false alarms, not of leaks):
//   1. fewer than 4 characters (2 when the value holds CJK ideographs, kana or hangul, where names are short);
//   2. only digits and shorter than 6 (counts, small IDs: they occur everywhere by chance);
//   3. a decimal number that is not a plain digit string (e.g. "1.5", "-0.25", "3e-4": measurements, not identity);
//   4. one character repeated ("0000000", "*****");
//   5. generic words: YES, NO, NONE, UNKNOWN, ANONYMOUS, ANONYMIZED, MALE, FEMALE, OTHER, NULL, N/A, TEST, REMOVED,
//      and the dummies the engine writes (19000101, 000000, 19000101000000, ...);
//   6. standard UIDs (registry or 1.2.840.10008.*) and this tool's implementation class UID;
//   7. values of attributes the profile keeps (K under the options, not listed in E.1-1, or cleaned in place) are not
//      collected; a value equal to, or a whole word or phrase of, a value the profile keeps elsewhere in the same
//      original is excused in those kept attributes only (the model name "SIGNA HDxt" is kept, so "SIGNA" in
//      (0008,1090) proves nothing), case-insensitively: found in any other attribute it is reported (a patient
//      named like a kept Station Name is still found in a description);
//   8. private creator strings (vendor names such as "GEMS_ACQU_01"; a private element left is reported on its own).

import type { DicomFile } from '../dicom/part10.js';
import { characterSetOf, getStrings } from '../dicom/values.js';
import { isStandardUid } from '../dicom/uid-registry.js';
import { IMPLEMENTATION_CLASS_UID } from '../dicom/create.js';
import { isPrivateCreatorTag, isPrivateTag } from '../dicom/tag.js';
import { isStringVR } from '../dicom/vr.js';
import type { ProfileView } from './profile.js';
import { GENERIC_VALUES } from '../plan/generic-values.js';
import type { Severity } from './types.js';
import { SEVERITY_RANK } from './types.js';
import { fold, looksLikeText, walkFile, type Visit } from './walk.js';
import { trimPaddingEnd, trimPaddingStart } from '../dicom/padding.js';
import { PixelData } from '../dicom/tags.generated.js';

/** How a match is delimited: text by letters/digits, UIDs by digits and dots, dates by a preceding digit. */
export type ValueKind = 'text' | 'uid' | 'date' | 'digits';

export interface IdentifyingValue {
  /** Search form (upper case). */
  folded: string;
  /** As decoded from the original (for re-encoding in the raw byte search). */
  text: string;
  kind: ValueKind;
  severity: Severity;
  /** Tag path in the original it came from (for the message; never the value). */
  origin: string;
  originVr: string;
  /** Character set terms in force where it was found. */
  charset: string[];
  /** Tag paths of attributes the profile keeps whose value holds it (rule 7): a match there is not reported. */
  excusedIn?: ReadonlySet<string>;
}

export interface OriginalFacts {
  values: Map<string, IdentifyingValue>;
  /** Non-standard UIDs the profile remaps (their output must differ). */
  uids: Set<string>;
  /** DA/DT/TM values by tag path, for elements the profile shifts or removes. */
  dates: Map<string, string>;
}

/** The core generic words, a few placeholders, and the dummies the engine writes (plan/generic-values.ts). */
export { GENERIC_VALUES };

/** Data set attributes the file meta repeats (PS3.10 7.1): (0008,0018) as (0002,0003), (0008,0016) as (0002,0002). */
const META_MIRRORS = new Map([['(0008,0018)', '(0002,0003)'], ['(0008,0016)', '(0002,0002)']]);

const SEARCHED_VRS = new Set(['PN', 'LO', 'SH', 'ST', 'LT', 'UT', 'UC', 'AE', 'CS', 'DA', 'DT', 'TM', 'UI']);
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Why a value is not searched, or null when it is. */
export function skipReason(value: string, kind: ValueKind): string | null {
  const v = value.trim();
  const length = [...v].length;
  if (length < (CJK.test(v) ? 2 : 4)) return 'shorter than 4 characters';
  if (/^\d+$/.test(v) && v.length < 6) return 'digits only, shorter than 6';
  if (kind !== 'uid' && !/^\d+$/.test(v) && DECIMAL.test(v)) return 'a decimal number';
  if (new Set(v).size === 1) return 'one character repeated';
  if (GENERIC_VALUES.has(fold(v))) return 'a generic word';
  if (kind === 'uid' && (isStandardUid(v) || v === IMPLEMENTATION_CLASS_UID)) return 'a standard UID';
  return null;
}

/** The searchable pieces of one value of `vr`: PN → each component group and its family/given/middle components. */
export function piecesOf(value: string, vr: string): string[] {
  if (vr !== 'PN') return [value];
  const out: string[] = [];
  for (const group of value.split('=')) {
    if (group.trim() === '') continue;
    let end = group.length;
    while (end > 0 && group[end - 1] === '^') end--; // not /\^+$/: quadratic on long runs
    out.push(group.slice(0, end));
    const components = group.split('^');
    for (const c of components.slice(0, 3)) if (c.trim() !== '') out.push(c.trim());
  }
  return out;
}

function kindOf(vr: string, text: string): ValueKind {
  if (vr === 'UI') return 'uid';
  if (vr === 'DA' || vr === 'DT' || vr === 'TM') return 'date';
  if (/^\d+$/.test(text)) return 'digits';
  if (/^\d+(\.\d+)+$/.test(text)) return 'uid';
  return 'text';
}

function severityOf(vr: string, path: string): Severity {
  const tagText = path.slice(path.lastIndexOf('(') + 1);
  const group = tagText.slice(0, 4);
  if (vr === 'PN' || vr === 'UI' || group === '0010') return 'high';
  if (tagText.startsWith('0008,0050') || tagText.startsWith('0020,0010')) return 'high'; // accession number, study ID
  if (vr === 'TM') return 'low';
  return 'medium';
}

/** Values of an element as text: string VRs decoded per charset; private UN/OB only when they hold text. */
export function textValues(visit: Visit): string[] {
  const { dataset, element, source } = visit;
  if (element.items || element.fragments) return [];
  if (isStringVR(element.vr)) return getStrings(dataset, element, source);
  if (element.tag === PixelData || element.valueLength > 1 << 20) return [];
  if (element.vr === 'UN' || (isPrivateTag(element.tag) && (element.vr === 'OB' || element.vr === 'OW')) || visit.inMeta) {
    const bytes = element.bytes(source);
    if (!looksLikeText(bytes)) return [];
    return Buffer.from(bytes).toString('latin1').split('\\').map((v) => trimPaddingStart(trimPaddingEnd(v))).filter((v) => v !== '');
  }
  return [];
}

const WORD = /[\p{L}\p{N}]/u;

/** The tag paths of the kept values that hold `folded` as a whole word (or more); empty when none does. */
function keptIndex(kept: ReadonlyMap<string, ReadonlySet<string>>): (folded: string) => Set<string> {
  const values = [...kept.keys()];
  const starts: number[] = [];
  let hay = '\u0000';
  for (const v of values) {
    starts.push(hay.length);
    hay += v + '\u0000';
  }
  const valueAt = (pos: number): number => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid; else hi = mid - 1;
    }
    return lo;
  };
  return (folded) => {
    const paths = new Set<string>();
    for (let at = hay.indexOf(folded); at >= 0; at = hay.indexOf(folded, at + 1)) {
      const before = hay[at - 1], after = hay[at + folded.length];
      const wordStart = WORD.test(folded[0]!), wordEnd = WORD.test(folded[folded.length - 1]!);
      if ((wordStart && WORD.test(before!)) || (wordEnd && WORD.test(after!))) continue;
      for (const p of kept.get(values[valueAt(at)]!)!) paths.add(p);
    }
    return paths;
  };
}

export function collectOriginal(file: DicomFile, profile: ProfileView): OriginalFacts {
  const candidates: Array<{ value: string; vr: string; path: string; isPrivate: boolean; charset: string[] }> = [];
  /** Kept value (folded piece) → the tag paths that hold it. */
  const kept = new Map<string, Set<string>>();
  const uids = new Set<string>();
  const dates = new Map<string, string>();
  for (const visit of walkFile(file)) {
    const { element } = visit;
    if (element.items) continue;
    if (isPrivateCreatorTag(element.tag)) continue; // rule 8
    const isPrivate = isPrivateTag(element.tag);
    const values = textValues(visit);
    if (values.length === 0) continue;
    const disposition = profile.disposition(element, visit.within, visit.inMeta);
    if (disposition === 'kept') {
      for (const v of values) {
        for (const p of piecesOf(v, element.vr)) {
          const folded = fold(p.trim());
          if (!kept.has(folded)) kept.set(folded, new Set());
          kept.get(folded)!.add(visit.path);
          // The file meta repeats these two by rule: kept in the data set, they are kept in the meta too.
          const mirror = visit.inMeta ? undefined : META_MIRRORS.get(visit.path);
          if (mirror) kept.get(folded)!.add(mirror);
        }
      }
      continue;
    }
    if (!isPrivate && !visit.inMeta && !SEARCHED_VRS.has(element.vr) && element.vr !== 'UN') continue;
    const vr = isPrivate && !isStringVR(element.vr) ? 'UN' : element.vr;
    const charset = characterSetOf(visit.dataset, visit.source);
    for (const v of values) {
      if (vr === 'UI' && !isStandardUid(v)) uids.add(v);
      for (const p of piecesOf(v, vr)) candidates.push({ value: p.trim(), vr, path: visit.path, isPrivate, charset });
    }
    if (!visit.inMeta && (element.vr === 'DA' || element.vr === 'DT' || element.vr === 'TM')) dates.set(visit.path, values.join('\\'));
  }
  for (const v of kept.keys()) uids.delete(v);
  const keptText = keptIndex(kept);
  const values = new Map<string, IdentifyingValue>();
  for (const c of candidates) {
    const kind = kindOf(c.vr, c.value);
    if (skipReason(c.value, kind) !== null) continue;
    const folded = fold(c.value);
    const excusedIn = keptText(folded); // rule 7: excused where it is kept, searched everywhere else
    const severity = severityOf(c.vr, c.path);
    const existing = values.get(folded);
    if (existing && SEVERITY_RANK[existing.severity] >= SEVERITY_RANK[severity]) continue;
    values.set(folded, { folded, text: c.value, kind, severity, origin: c.path, originVr: c.vr, charset: c.charset, ...(excusedIn.size > 0 ? { excusedIn } : {}) });
  }
  return { values, uids, dates };
}
