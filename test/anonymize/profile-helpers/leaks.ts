// Leak check for the PS3.15 profile tests: which values of an input the profile protects, and whether any of them
// is still in an output file's bytes. Values are never printed: findings name the file and the tag path only.
//
// Protected values: every non-empty string value (decoded per the Specific Character Set in force, at any depth,
// private elements included) of an element whose rule is not keep, or that sits inside a sequence the plan removes
// or empties; plus the file meta's (0002,0003) and (0002,0016-0018). PN values are also searched by component.
// A value is NOT searched when it is too short or generic to mean anything, namely when:
//   - it has fewer than 4 characters (after trimming), or is a pure number (digits, sign, dot, space) with fewer
//     than 6 digits ("0", "1.5", "2048");
//   - it also occurs (as a substring, case-sensitive) in a value the profile keeps (e.g. a station name "SIEMENS"
//     that is also the kept Manufacturer) or in text the profile writes itself (dummies, the ANON pseudonym prefix,
//     markers such as "REMOVED" in (0028,0303), the method text, CID 7050 meanings, our implementation version);
//   - it is a standard UID (1.2.840.10008.*: SOP classes, transfer syntaxes, coding schemes), which is never remapped.
// The output is searched with the Pixel Data value blanked (burned-in text is out of scope, and image bytes would
// match short strings by chance), in the dataset's bytes after inflation for deflated files, for each value encoded
// in the output's character set, as raw latin1 and as UTF-8.

import type { DataSet } from '../../../src/dicom/dataset.js';
import { elementPath } from '../../../src/dicom/dataset.js';
import type { DicomFile } from '../../../src/dicom/part10.js';
import type { ByteSource } from '../../../src/dicom/source.js';
import { makeTag } from '../../../src/dicom/tag.js';
import { isStringVR } from '../../../src/dicom/vr.js';
import { characterSetOf, getStrings } from '../../../src/dicom/values.js';
import { encodeText } from '../../../src/dicom/charset.js';
import { isStandardUid } from '../../../src/dicom/uid-registry.js';
import { enclosingSequence, type Anonymizer } from '../../../src/anonymize/anonymizer.js';
import type { Action } from '../../../src/plan/plan.js';
import { DUMMY_TEXT } from '../../../src/anonymize/actions/dummy.js';
import { METHOD_TEXT } from '../../../src/profiles/basic.js';
import { CID7050 } from '../../../src/profiles/cid7050.generated.js';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from '../../../src/dicom/create.js';
import { PixelData } from '../../../src/dicom/tags.generated.js';

export interface ProtectedValue {
  /** Tag path in the input, e.g. "(0008,1140)[0].(0008,1155)". */
  path: string;
  vr: string;
  value: string;
}

const WRITTEN_BY_PROFILE = [
  ...Object.values(DUMMY_TEXT), METHOD_TEXT, ...CID7050.map((c) => c.codeMeaning), 'ANON', 'DEV', 'YES', 'REMOVED', 'MODIFIED',
  'UNMODIFIED', IMPLEMENTATION_VERSION_NAME, IMPLEMENTATION_CLASS_UID,
].join('\n');
const META_PROTECTED = [makeTag(0x0002, 0x0003), makeTag(0x0002, 0x0016), makeTag(0x0002, 0x0017), makeTag(0x0002, 0x0018)];

/** True when `value` is too short or generic to be searched (see the header). */
export function tooGeneric(value: string): boolean {
  const v = value.trim();
  if (v.length < 4) return true;
  if (/^[\d.+\-\s]+$/.test(v) && (v.match(/\d/g) ?? []).length < 6) return true;
  if (v.startsWith('1.2.840.10008.') || isStandardUid(v)) return true;
  return WRITTEN_BY_PROFILE.includes(v);
}

/**
 * The action, except that an option's clean (C) counts as keep where the value may stay by design: free text that
 * holds nothing identifying, safe private values, unshifted times, capped ages. (verify judges those values; this
 * check is about what the plan must change.) Dates that are shifted, and AE titles and UIDs that get pseudonyms,
 * stay protected.
 */
function keptOrProtected(action: Action, vr: string): Action['type'] {
  if (action.type !== 'clean') return action.type;
  if (action.what === 'dates') return vr === 'DA' || vr === 'DT' ? 'clean' : 'keep';
  if (action.what === 'device') return vr === 'AE' || vr === 'UI' ? 'clean' : 'keep';
  return 'keep';
}

/** Values of the input (before anonymization) that the plan protects, and the text of the values it keeps. */
export function collectValues(file: DicomFile, anonymizer: Anonymizer): { protectedValues: ProtectedValue[]; keptText: string } {
  const protectedValues: ProtectedValue[] = [];
  const kept: string[] = [];
  const visit = (ds: DataSet, source: ByteSource, underRemoved: boolean, isMeta: boolean): void => {
    for (const el of ds.elements) {
      const action = isMeta ? (META_PROTECTED.includes(el.tag) ? 'remove' : 'keep') : keptOrProtected(anonymizer.ruleFor(el, enclosingSequence(ds)).action, el.vr);
      if (el.items !== null) {
        const gone = underRemoved || action === 'remove' || action === 'empty';
        for (const item of el.items) visit(item, source, gone, isMeta);
        continue;
      }
      if (el.fragments !== null || !isStringVR(el.vr)) continue;
      const values = getStrings(ds, el, source).map((v) => v.trim()).filter((v) => v !== '');
      if (!underRemoved && action === 'keep') {
        kept.push(...values);
        continue;
      }
      const path = (isMeta ? 'meta ' : '') + elementPath(ds, el);
      for (const value of values) {
        protectedValues.push({ path, vr: el.vr, value });
        if (el.vr === 'PN') {
          for (const part of value.split(/[\^=]/)) if (part.trim() !== value) protectedValues.push({ path, vr: el.vr, value: part.trim() });
        }
      }
    }
  };
  if (file.meta) visit(file.meta, file.source, false, true);
  visit(file.dataset, file.datasetSource, false, false);
  const keptText = kept.join('\n');
  return { protectedValues: protectedValues.filter((p) => !tooGeneric(p.value) && !keptText.includes(p.value)), keptText };
}

/** The bytes of an output file to search: whole file (and the inflated dataset when deflated), Pixel Data blanked. */
export function searchableBytes(file: DicomFile): Buffer {
  const datasetBytes = Buffer.from(file.datasetSource.read(0, file.datasetSource.size));
  const pixel = file.dataset.get(PixelData);
  if (pixel?.span) datasetBytes.fill(0, pixel.span.offset, pixel.span.offset + pixel.span.length);
  if (file.datasetSource === file.source) return datasetBytes;
  return Buffer.concat([Buffer.from(file.source.read(0, file.source.size)), datasetBytes]);
}

/** Protected values found in `haystack`; each finding is "tag path (VR)", never the value. */
export function findLeaks(values: readonly ProtectedValue[], output: DicomFile, haystack: Buffer): string[] {
  const terms = characterSetOf(output.dataset, output.datasetSource);
  const found = new Set<string>();
  for (const p of values) {
    const encodings: Uint8Array[] = [Buffer.from(p.value, 'utf8')];
    if (!/[^\x00-\xff]/.test(p.value)) encodings.push(Buffer.from(p.value, 'latin1'));
    const own = encodeText(p.value, terms, p.vr === 'PN' || p.vr === 'LO' || p.vr === 'SH' || p.vr === 'LT' || p.vr === 'ST' || p.vr === 'UT' || p.vr === 'UC' ? p.vr : 'LO');
    if (own) encodings.push(own);
    if (encodings.some((bytes) => bytes.length > 0 && haystack.indexOf(bytes) >= 0)) found.add(`${p.path} (${p.vr})`);
  }
  return [...found];
}
