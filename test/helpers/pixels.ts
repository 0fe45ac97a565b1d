// The bytes of a file's Pixel Data as stored (native value, or the encapsulated fragments one after another).

import type { DicomFile } from '../../src/dicom/part10.js';
import { PixelData } from '../../src/dicom/tags.generated.js';


export function pixelBytes(file: DicomFile): Buffer | null {
  const el = file.dataset.get(PixelData);
  if (!el) return null;
  if (el.fragments) {
    return Buffer.concat(el.fragments.map((f) => Buffer.from(f.value instanceof Uint8Array ? f.value : file.datasetSource.read(f.value.offset, f.value.length))));
  }
  return Buffer.from(el.bytes(file.datasetSource));
}
