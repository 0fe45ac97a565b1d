// Hand-written lookups over the generated PS3.6 data dictionary (src/dicom/dictionary.generated.ts).
// Exact tags live in a Map keyed by the numeric tag; the 88 repeating-group masks are checked in a short list.

import { DICTIONARY_ROWS } from './dictionary.generated.js';
import { isVR } from './vr.js';
import { parseTagMask, type Tag } from './tag.js';

export interface DictionaryEntry {
  /** "(gggg,eeee)" as in the source; may contain x for repeating groups, e.g. "(60xx,3000)". */
  tag: string;
  keyword: string;
  name: string;
  /** As published: "PN", "US or SS", "OB or OW", "" for retired placeholders, "NONE" for item delimiters. */
  vr: string;
  vm: string;
  retired: boolean;
}

interface MaskEntry {
  /** Bits that must match `value` (an x in the pattern clears its 4 bits). */
  mask: number;
  value: number;
  /** Number of x digits; fewer x = more specific, checked first. */
  wildcards: number;
  /** For (50xx,…) and (60xx,…): the only valid groups are the even ones 5000-501E / 6000-601E (PS3.5 7.6). */
  maxGroupLowByte: number;
  entry: DictionaryEntry;
}

const EXACT = new Map<number, DictionaryEntry>();
const MASKS: MaskEntry[] = [];
const BY_KEYWORD = new Map<string, Tag>();

function hexPattern(pattern: string): { mask: number; value: number; wildcards: number } {
  const parsed = parseTagMask(pattern);
  if (parsed === null) throw new Error(`dictionary: bad tag pattern ${pattern}`);
  return { ...parsed, wildcards: pattern.replace(/[^xX]/g, '').length };
}

/** Eight hex digits without x: every thread builds these maps at start-up, so the common case skips hexPattern. */
const PLAIN_HEX = /^[0-9A-Fa-f]{8}$/;

for (const [tag, keyword, name, vr, vm, retired] of DICTIONARY_ROWS) {
  const entry: DictionaryEntry = Object.freeze({ tag, keyword, name, vr, vm, retired: retired === 1 });
  const digits = tag.slice(1, 5) + tag.slice(6, 10);
  if (PLAIN_HEX.test(digits)) {
    const value = parseInt(digits, 16) >>> 0;
    EXACT.set(value, entry);
    if (keyword !== '') BY_KEYWORD.set(keyword, value);
    continue;
  }
  const { mask, value, wildcards } = hexPattern(digits);
  if (wildcards === 0) EXACT.set(value >>> 0, entry);
  else {
    const group = digits.slice(0, 4).toLowerCase();
    const maxGroupLowByte = group === '50xx' || group === '60xx' ? 0x1e : 0xff;
    MASKS.push({ mask: mask >>> 0, value: value >>> 0, wildcards, maxGroupLowByte, entry });
  }
  // Repeating-group keywords map to their base tag (x -> 0), e.g. OverlayData -> 0x60003000.
  if (keyword !== '') BY_KEYWORD.set(keyword, value >>> 0);
}
MASKS.sort((a, b) => a.wildcards - b.wildcards || a.value - b.value);

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

/**
 * Dictionary entry for a tag: exact entries first, then repeating-group masks. Private tags (odd group) give
 * undefined. (gggg,0000) of any public group gives a synthetic Group Length entry (UL; retired except in groups
 * 0000 and 0002, which have real entries).
 */
export function lookupTag(tag: Tag): DictionaryEntry | undefined {
  tag = tag >>> 0;
  const group = tag >>> 16;
  if ((group & 1) === 1) return undefined;
  const exact = EXACT.get(tag);
  if (exact !== undefined) return exact;
  if ((tag & 0xffff) === 0) return groupLengthEntry(group);
  for (const m of MASKS) {
    if (((tag & m.mask) >>> 0) === m.value && (group & 0xff) <= m.maxGroupLowByte) {
      // Repeating groups are even only; the odd-group check above already guarantees it.
      return m.entry;
    }
  }
  return undefined;
}

const GROUP_LENGTHS = new Map<number, DictionaryEntry>();
function groupLengthEntry(group: number): DictionaryEntry {
  let e = GROUP_LENGTHS.get(group);
  if (e === undefined) {
    e = Object.freeze({ tag: `(${hex4(group)},0000)`, keyword: 'GroupLength', name: 'Group Length', vr: 'UL', vm: '1', retired: true });
    GROUP_LENGTHS.set(group, e);
  }
  return e;
}

/** Exact, case-sensitive DICOM keyword (retired ones too). Repeating-group keywords give their base group. */
export function tagForKeyword(keyword: string): Tag | undefined {
  return BY_KEYWORD.get(keyword);
}

/**
 * The VR to assume when the encoding does not say (implicit VR): the first of the listed VRs ("US or SS" -> "US",
 * "US or SS or OW" -> "US"), except "OB or OW" -> "OW" (PS3.5 A.1: Pixel Data, Overlay Data, Curve/Waveform data
 * are OW in Implicit VR Little Endian; we apply it to every "OB or OW" element). "UN" when the tag is unknown, the
 * VR is empty (retired placeholders) or not a real VR ("NONE" of item delimiters).
 */
export function defaultVR(tag: Tag): string {
  let vr = DEFAULT_VRS.get(tag);
  if (vr === undefined) {
    vr = computeDefaultVR(tag);
    if (DEFAULT_VRS.size >= 65_536) DEFAULT_VRS.clear(); // tags come from the input: keep the cache bounded
    DEFAULT_VRS.set(tag, vr);
  }
  return vr;
}

/** defaultVR of the tags seen so far: implicit VR files ask it for every element. */
const DEFAULT_VRS = new Map<Tag, string>();

function computeDefaultVR(tag: Tag): string {
  const vr = lookupTag(tag)?.vr;
  if (vr === undefined || vr === '') return 'UN';
  if (vr === 'OB or OW') return 'OW';
  const first = vr.split(' or ')[0];
  return isVR(first) ? first : 'UN';
}

/** Keyword or "" when unknown (or a retired placeholder without a keyword). */
export function keywordOf(tag: Tag): string {
  return lookupTag(tag)?.keyword ?? '';
}
