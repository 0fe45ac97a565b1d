// Test helpers: a dataset flattened to "tag path → VR + decoded value" (for element-by-element comparison), and
// a one-call "anonymize in memory → encode → read back" round trip.

import { createHash } from 'node:crypto';
import type { DataSet } from '../../../src/dicom/dataset.js';
import { elementPath } from '../../../src/dicom/dataset.js';
import type { DicomFile } from '../../../src/dicom/part10.js';
import { readDicomBuffer } from '../../../src/dicom/part10.js';
import type { ByteSource } from '../../../src/dicom/source.js';
import { encodeDicomFileToBuffer } from '../../../src/dicom/writer.js';
import { getNumbers, getStrings } from '../../../src/dicom/values.js';
import { isStringVR } from '../../../src/dicom/vr.js';
import type { Anonymizer } from '../../../src/anonymize/anonymizer.js';

export interface FlatValue {
  vr: string;
  /** Decoded text values joined by "\", numbers joined by "\", "SQ[n]" for sequences, hex/sha256 for bytes. */
  value: string;
}

const NUMERIC = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'SV', 'UV']);

function bytesText(bytes: Uint8Array): string {
  const b = Buffer.from(bytes);
  return b.length <= 64 ? `hex:${b.toString('hex')}` : `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

/** Every element at every depth, keyed by its tag path ("(0008,1140)[0].(0008,1155)"). */
export function flatten(dataset: DataSet, source: ByteSource, out = new Map<string, FlatValue>()): Map<string, FlatValue> {
  for (const el of dataset.elements) {
    const path = elementPath(dataset, el);
    let value: string;
    if (el.items !== null) {
      value = `SQ[${el.items.length}]`;
      for (const item of el.items) flatten(item, source, out);
    } else if (el.fragments !== null) {
      const h = createHash('sha256');
      for (const f of el.fragments) h.update(f.value instanceof Uint8Array ? f.value : source.read(f.value.offset, f.value.length));
      value = `fragments[${el.fragments.length}]:${h.digest('hex')}`;
    } else if (isStringVR(el.vr)) {
      value = getStrings(dataset, el, source).join('\\');
    } else if (NUMERIC.has(el.vr)) {
      value = getNumbers(dataset, el, source).join('\\');
    } else {
      value = bytesText(el.bytes(source));
    }
    out.set(path, { vr: el.vr, value });
  }
  return out;
}

/** Anonymizes `file` in place, writes it to bytes and reads it back (what a user would get on disk). */
export function anonymizeAndReread(anonymizer: Anonymizer, file: DicomFile): DicomFile {
  anonymizer.anonymizeFile(file);
  return readDicomBuffer(encodeDicomFileToBuffer(file), 'anonymized');
}
