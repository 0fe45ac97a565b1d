// Reading top-level attributes of the ORIGINAL dataset for the burned-in step: text of string VRs, numbers of
// binary VRs as written, both without touching any value the caller does not ask for.

import type { DataSet } from '../../dicom/dataset.js';
import type { ByteSource } from '../../dicom/source.js';
import type { Tag } from '../../dicom/tag.js';
import { getNumbers, getString, getStrings } from '../../dicom/values.js';
import { isStringVR } from '../../dicom/vr.js';

/** The decoded text of a top-level attribute (numbers joined by backslash); null when absent or a sequence. */
export function attributeText(dataset: DataSet, source: ByteSource, tag: Tag): string | null {
  const el = dataset.get(tag);
  if (!el || el.items !== null || el.fragments) return null;
  if (isStringVR(el.vr)) return getString(dataset, el, source);
  const numbers = getNumbers(dataset, el, source);
  return numbers.length > 0 ? numbers.join('\\') : null;
}

/** The values of a top-level string attribute, upper-cased and trimmed; [] when absent. */
export function attributeWords(dataset: DataSet, source: ByteSource, tag: Tag): string[] {
  const el = dataset.get(tag);
  if (!el || el.items !== null || !isStringVR(el.vr)) return [];
  return getStrings(dataset, el, source).map((v) => v.trim().toUpperCase());
}

/** The first number of a top-level binary attribute (Rows, Columns...); null when absent. */
export function attributeNumber(dataset: DataSet, source: ByteSource, tag: Tag): number | null {
  const el = dataset.get(tag);
  if (!el || el.items !== null) return null;
  if (isStringVR(el.vr)) {
    const n = Number(getString(dataset, el, source).split('\\')[0]);
    return Number.isFinite(n) ? n : null;
  }
  return getNumbers(dataset, el, source)[0] ?? null;
}
