// Walking a parsed file: every element at every depth (file meta and dataset), with its tag path and the byte
// source its value lives in.

import { elementPath, type DataElement, type DataSet } from '../dicom/dataset.js';
import type { DicomFile } from '../dicom/part10.js';
import type { ByteSource } from '../dicom/source.js';

export interface Visit {
  dataset: DataSet;
  element: DataElement;
  path: string;
  /** The tag of the sequence whose item holds the element; null at the top level. */
  within: number | null;
  inMeta: boolean;
  source: ByteSource;
}

/** Every element (sequence elements too, before their items), meta first. */
export function* walkFile(file: DicomFile): Generator<Visit> {
  if (file.meta) yield* walkDataset(file.meta, file.source, true, null);
  yield* walkDataset(file.dataset, file.datasetSource, false, null);
}

export function* walkDataset(dataset: DataSet, source: ByteSource, inMeta: boolean, within: number | null): Generator<Visit> {
  for (const element of dataset.elements) {
    yield { dataset, element, path: elementPath(dataset, element), within, inMeta, source };
    if (element.items) for (const item of element.items) yield* walkDataset(item, source, inMeta, element.tag);
  }
}

/** Upper-case form used for every comparison (case-insensitive search). */
export const fold = (text: string): string => text.toUpperCase();

/**
 * Bytes are "text" when (padding aside) they hold no control characters other than tab, CR, LF and ESC, and at least
 * 90% of them are printable ASCII (binary data of UN/OB elements read as Latin-1 would otherwise pass).
 */
export function looksLikeText(bytes: Uint8Array): boolean {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0 || bytes[end - 1] === 0x20)) end--;
  if (end === 0) return false;
  let printable = 0;
  for (let i = 0; i < end; i++) {
    const c = bytes[i];
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x1b) return false;
    if (c === 0x7f) return false;
    if (c >= 0x20 && c < 0x7f) printable++;
  }
  return printable >= 0.9 * end;
}
