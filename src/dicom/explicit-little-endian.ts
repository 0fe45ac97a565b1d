// A dataset re-encoded in Explicit VR Little Endian when that is lossless: from Implicit VR Little Endian (the same
// value bytes under explicit headers), from Deflated Explicit VR Little Endian (the inflated bytes), from Explicit VR
// Big Endian (every value swapped by its VR, byte-order.ts), or as it is. Not done here (a reason instead):
// encapsulated pixel data, whose decoding is the pixel layer's job (src/pixels/explicit-little-endian-copy.ts).

import { valuesToLittleEndian } from './byte-order.js';
import { DicomWriteError } from './errors.js';
import type { DataSet, Encoding } from './dataset.js';
import type { DicomFile } from './part10.js';
import { EXPLICIT_VR_LITTLE_ENDIAN, transferSyntaxOf } from './transfer-syntax.js';
import { concatChunks, encodeDicomFile } from './writer.js';
import { uidName } from './uid-registry.js';

const EXPLICIT_LE: Encoding = { explicitVR: true, littleEndian: true };

/**
 * The dataset bytes (no file meta) in Explicit VR Little Endian, or why that cannot be made losslessly. Changes `file`
 * (its transfer syntax and values; the bytes it was read from are never changed): read it again to use it otherwise.
 */
export function explicitLittleEndianDataset(file: DicomFile): Uint8Array | { reason: string } {
  const ts = file.transferSyntax;
  const name = uidName(ts.uid) ?? ts.uid;
  if (ts.encapsulated) return { reason: `its pixel data are encapsulated (${name}): decoding them is the pixel layer's job` };
  if (ts.uid === EXPLICIT_VR_LITTLE_ENDIAN) return datasetOnly(file);
  if (!ts.littleEndian) {
    const refused = valuesToLittleEndian(file.dataset, file.datasetSource);
    if (refused !== null) return { reason: `${name} cannot be byte-swapped: ${refused}` };
  } else {
    toExplicitItems(file.dataset);
  }
  file.transferSyntax = transferSyntaxOf(EXPLICIT_VR_LITTLE_ENDIAN);
  try {
    return datasetOnly(file);
  } catch (error) {
    if (error instanceof DicomWriteError) return { reason: `it cannot be written in Explicit VR Little Endian: ${error.message}` };
    throw error;
  }
}

/** Items of sequences known as SQ are written explicit too (the encoder re-encodes what is not in its target encoding); a sequence read as UN keeps its implicit items (legal for UN). */
function toExplicitItems(ds: DataSet): void {
  for (const el of ds.elements) {
    if (el.items === null) continue;
    if (el.vr === 'SQ' && el.fileVR !== 'UN') {
      el.itemEncoding = EXPLICIT_LE;
      for (const item of el.items) toExplicitItems(item);
    }
  }
}

function datasetOnly(file: DicomFile): Uint8Array {
  const whole = encodeDicomFile({ ...file, meta: null });
  return concatChunks(whole);
}
