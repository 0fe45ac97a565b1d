// Searching an output for the original's identifying values, two ways:
//   1. the decoded text of every element, at any depth, file meta, private elements, private creators and UN
//      included (string VRs per the output's inherited character set; UN as Latin-1, UTF-8 and that character set);
//   2. the raw bytes of the whole output file, with each value encoded as Latin-1, UTF-8, the output's character set
//      and the original's, so a value hidden in OB/UN data or stored in another encoding is found too. The value
//      bytes of the top-level Pixel Data are left out of this search: they are compared byte for byte with the
//      original instead (a chance match in compressed pixels is noise, not a leak).
// Matches are case-insensitive (ASCII case only for raw bytes) and delimited: a text value must not be preceded or
// followed by a letter or digit, a UID or digit string by a digit (or a dot for UIDs), a date not preceded by a digit.

import type { DataElement, DataSet } from '../dicom/dataset.js';
import type { DicomFile } from '../dicom/part10.js';
import type { ByteSource } from '../dicom/source.js';
import { decodeText, encodeText } from '../dicom/charset.js';
import { characterSetOf, getString, getStrings } from '../dicom/values.js';
import { METHOD_TEXT } from '../profiles/basic.js';
import { CID7050 } from '../profiles/cid7050.generated.js';
import { isStringVR } from '../dicom/vr.js';
import { PIXEL_DATA_TAGS } from '../dicom/tag.js';
import type { IdentifyingValue, ValueKind } from './identifying.js';
import { maskValue } from './mask.js';
import type { Finding } from './types.js';
import { fold, walkFile } from './walk.js';
import { DeidentificationMethod } from '../dicom/tags.generated.js';

const OUR_CODE_MEANINGS: ReadonlySet<string> = new Set(CID7050.map((c) => c.codeMeaning));
const MAX_DECODED = 4 << 20;

interface Piece {
  path: string;
  text: string;
  vr: string;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** A letter or digit of a script that separates words (CJK text has no word boundaries to check). */
const isAlnum = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c) && !CJK.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function delimited(kind: ValueKind, before: string | undefined, after: string | undefined, needle: string): boolean {
  switch (kind) {
    case 'text':
      return !(isAlnum(needle[0]) && isAlnum(before)) && !(isAlnum(needle[needle.length - 1]) && isAlnum(after));
    case 'uid':
      return !(isDigit(before) || before === '.') && !(isDigit(after) || after === '.');
    case 'digits':
      return !isDigit(before) && !isDigit(after);
    case 'date':
      return !isDigit(before);
  }
}

/** Decoded text of every element of the output (Latin-1/UTF-8/charset variants for UN). */
function outputPieces(file: DicomFile): Piece[] {
  const pieces: Piece[] = [];
  for (const { dataset, element, path, source } of walkFile(file)) {
    if (element.items || element.fragments || PIXEL_DATA_TAGS.has(element.tag)) continue;
    if (element.tag === DeidentificationMethod) {
      // Our own method text is not evidence of anything; whatever else the element holds is searched.
      const others = getStrings(dataset, element, source).filter((v) => v !== METHOD_TEXT);
      pieces.push({ path, text: fold(others.join('\\')), vr: element.vr });
    } else if (isStringVR(element.vr)) {
      const text = getString(dataset, element, source);
      // The CID 7050 code meanings we add as markers (e.g. "Retain Patient Characteristics Option") are not
      // evidence either: a patient named PATIENT would match them.
      if (!OUR_CODE_MEANINGS.has(text)) pieces.push({ path, text: fold(text), vr: element.vr });
    } else if (element.vr === 'UN' && element.valueLength <= MAX_DECODED) {
      const bytes = element.bytes(source);
      const variants = new Set([
        Buffer.from(bytes).toString('latin1'),
        Buffer.from(bytes).toString('utf8'),
        decodeText(bytes, characterSetOf(dataset, source), 'UT'),
      ]);
      for (const v of variants) pieces.push({ path, text: fold(v), vr: element.vr });
    }
  }
  return pieces;
}

/** What the outputs were made with, where it changes how a match reads. */
export interface SearchContext {
  /** Retain UIDs: UIDs (which often embed their creation date) are the originals. */
  uidsKept?: boolean;
  /** Retain Longitudinal Modified Dates: every date moved by whole days, so one may land on another's old value. */
  datesShifted?: boolean;
}

/**
 * Finds each value in the decoded text; reports once per (tag path, value). Two expected matches are reported
 * low, once per file and value: an original date inside a kept UID (Retain UIDs), and an original date equal to
 * another date element after the shift (Modified Dates; a date left unshifted at its own place is checkDates').
 */
export function searchDecoded(file: DicomFile, values: Iterable<IdentifyingValue>, seen: Set<string>, context: SearchContext = {}): Finding[] {
  const pieces = outputPieces(file);
  const starts: number[] = [];
  let hay = '';
  for (const p of pieces) {
    starts.push(hay.length);
    hay += p.text + '\u0000';
  }
  const pieceAt = (pos: number): number => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid; else hi = mid - 1;
    }
    return lo;
  };
  const findings: Finding[] = [];
  for (const value of values) {
    const needle = value.folded;
    for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
      if (!delimited(value.kind, hay[at - 1], hay[at + needle.length], needle)) continue;
      const piece = pieces[pieceAt(at)];
      if (value.excusedIn?.has(piece.path)) continue; // kept there by the profile (identifying.ts rule 7)
      const expected = value.kind !== 'date' ? null
        : context.uidsKept && piece.vr === 'UI' ? 'inside a UID kept by retainUIDs'
          : context.datesShifted && (piece.vr === 'DA' || piece.vr === 'DT') && piece.path !== value.origin
            ? 'as another date after the shift (retainLongitudinalModifiedDates: likely chance)' : null;
      const key = `${piece.path}|${needle}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (expected !== null) {
        if (seen.has(`${expected}|${needle}`)) continue;
        seen.add(`${expected}|${needle}`);
      }
      findings.push({
        severity: expected !== null ? 'low' : value.severity, tagPath: piece.path, kind: 'identifying-value',
        message: `value of ${value.origin} (${value.originVr}) in the original is present` +
          (expected !== null ? ` ${expected}, reported once per file` : ''),
        masked: maskValue(value.text),
      });
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------------------
// Raw bytes.

interface Segment {
  source: ByteSource;
  root: DataSet;
  /** Offset in the source. */
  from: number;
  to: number;
}

const foldAscii = (bytes: Uint8Array): Buffer => {
  const out = Buffer.from(bytes);
  for (let i = 0; i < out.length; i++) if (out[i] >= 0x61 && out[i] <= 0x7a) out[i] -= 0x20;
  return out;
};

function segments(file: DicomFile): Segment[] {
  const out: Segment[] = [];
  const pixelSpans = file.dataset.elements.filter((el) => PIXEL_DATA_TAGS.has(el.tag) && el.span).map((el) => el.span!);
  const cut = (source: ByteSource, root: DataSet, from: number, to: number, holes: { offset: number; length: number }[]): void => {
    let at = from;
    for (const h of [...holes].sort((a, b) => a.offset - b.offset)) {
      if (h.offset > at) out.push({ source, root, from: at, to: Math.min(h.offset, to) });
      at = Math.max(at, h.offset + h.length);
    }
    if (at < to) out.push({ source, root, from: at, to });
  };
  const metaEnd = file.meta ? Math.max(0, ...file.meta.elements.map((el) => (el.span ? el.span.offset + el.span.length : 0))) : 0;
  if (file.datasetSource === file.source) {
    cut(file.source, file.dataset, 0, file.source.size, pixelSpans);
  } else {
    cut(file.source, file.meta ?? file.dataset, 0, metaEnd, []);
    cut(file.datasetSource, file.dataset, 0, file.datasetSource.size, pixelSpans);
  }
  return out;
}

/** Innermost element whose span holds `offset` (meta elements first when the meta shares the source). */
function locate(file: DicomFile, segment: Segment, offset: number): string {
  const inside = (el: DataElement): boolean => el.span !== null && offset >= el.span.offset && offset < el.span.offset + el.span.length;
  const search = (ds: DataSet, prefix: string): string | null => {
    for (const el of ds.elements) {
      if (!inside(el)) continue;
      const here = `${prefix}${formatPathTag(el)}`;
      if (el.items) {
        for (let i = 0; i < el.items.length; i++) {
          const deeper = search(el.items[i], `${here}[${i}].`);
          if (deeper) return deeper;
        }
      }
      return here;
    }
    return null;
  };
  if (file.meta && segment.source === file.source) {
    const m = search(file.meta, '');
    if (m) return m;
  }
  return search(segment.root, '') ?? '';
}

const formatPathTag = (el: DataElement): string => {
  const h = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
  return `(${h(el.tag >>> 16)},${h(el.tag & 0xffff)})`;
};

function needlesFor(value: IdentifyingValue, outputCharset: string[]): Buffer[] {
  const candidates: (Uint8Array | null)[] = [];
  if (![...value.text].some((c) => c.codePointAt(0)! > 0xff)) candidates.push(Buffer.from(value.text, 'latin1'));
  candidates.push(Buffer.from(value.text, 'utf8'));
  candidates.push(encodeText(value.text, outputCharset, 'LO'));
  candidates.push(encodeText(value.text, value.charset, 'LO'));
  const out = new Map<string, Buffer>();
  for (let c of candidates) {
    if (!c) continue;
    // An ISO 2022 value ends by switching back to ASCII; the stored text may go on in the other set.
    if (c.length > 3 && c[c.length - 3] === 0x1b && c[c.length - 2] === 0x28 && c[c.length - 1] === 0x42) c = c.subarray(0, c.length - 3);
    const folded = foldAscii(c);
    if (folded.length >= 4) out.set(folded.toString('hex'), folded);
  }
  return [...out.values()];
}

/** Texts we write ourselves, blanked before the raw search: the method text and the CID 7050 code meanings. */
const OWN_NEEDLES = [METHOD_TEXT, ...OUR_CODE_MEANINGS].map((t) => foldAscii(Buffer.from(t, 'latin1')));

const asciiChar = (b: number | undefined): string | undefined => (b === undefined ? undefined : b < 0x80 ? String.fromCharCode(b) : '\u0080');

/** Finds each value in the raw bytes; a hit inside an element already reported for that value is not repeated. */
export function searchRaw(file: DicomFile, values: Iterable<IdentifyingValue>, seen: Set<string>): Finding[] {
  const outputCharset = characterSetOf(file.dataset, file.datasetSource);
  const findings: Finding[] = [];
  const list = [...values];
  for (const segment of segments(file)) {
    const hay = foldAscii(segment.source.read(segment.from, segment.to - segment.from));
    // Our own method text in (0012,0063) and code meanings in (0012,0064) are not evidence of anything.
    for (const own of OWN_NEEDLES) {
      for (let at = hay.indexOf(own); at >= 0; at = hay.indexOf(own, at + 1)) hay.fill(0, at, at + own.length);
    }
    for (const value of list) {
      for (const needle of needlesFor(value, outputCharset)) {
        for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
          const needleText = needle.toString('latin1');
          if (!delimited(value.kind, asciiChar(hay[at - 1]), asciiChar(hay[at + needle.length]), needleText)) continue;
          const path = locate(file, segment, segment.from + at);
          if (value.excusedIn?.has(path)) continue;
          const key = `${path}|${value.folded}`;
          if (seen.has(key)) continue;
          seen.add(key);
          findings.push({
            severity: value.severity, tagPath: path, kind: 'identifying-value-raw',
            message: `value of ${value.origin} (${value.originVr}) in the original is present in the file bytes`, masked: maskValue(value.text),
          });
        }
      }
    }
  }
  return findings;
}
