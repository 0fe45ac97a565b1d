// Overlays kept in unused high bits of Pixel Data (60xx,0102 without 60xx,3000): found on the original dataset, and
// cleared from the pixel words when the plan removed their group, else the overlay survives its removal.

import type { DataSet } from '../../dicom/dataset.js';
import type { DicomFile } from '../../dicom/part10.js';
import type { ByteSource } from '../../dicom/source.js';
import { makeTag } from '../../dicom/tag.js';
import { PixelData } from '../../dicom/tags.generated.js';
import { getNumbers } from '../../dicom/values.js';
import { clearBits, describeImage } from '../../pixels/index.js';

export interface EmbeddedOverlay {
  group: number;
  bit: number;
}

/** Overlays stored in Pixel Data's high bits: group and Overlay Bit Position, from the top level. */
export function embeddedOverlays(dataset: DataSet, source: ByteSource): EmbeddedOverlay[] {
  const found: EmbeddedOverlay[] = [];
  for (let group = 0x6000; group <= 0x601e; group += 2) {
    const position = dataset.get(makeTag(group, 0x0102));
    if (!position || !dataset.get(makeTag(group, 0x0100)) || dataset.get(makeTag(group, 0x3000))) continue;
    const bit = getNumbers(dataset, position, source)[0];
    if (bit !== undefined) found.push({ group, bit });
  }
  return found;
}

/** The bit positions of `overlays` whose group is gone from the (anonymized) dataset, each once. */
export function removedOverlayBits(overlays: readonly EmbeddedOverlay[], dataset: DataSet): number[] {
  return [...new Set(overlays.filter((o) => !dataset.get(makeTag(o.group, 0x0102))).map((o) => o.bit))];
}

/**
 * Clears overlay bit positions from native Pixel Data. Positions that are not unused high bits (inside the stored
 * value, or beyond the word) hold no separable overlay and are left alone, as is encapsulated Pixel Data.
 */
export function clearOverlayBits(file: DicomFile, bits: readonly number[]): void {
  const pixel = file.dataset.get(PixelData);
  if (!pixel || pixel.fragments) return;
  const image = describeImage(file.dataset, file.datasetSource);
  const lowestStored = image.highBit - image.bitsStored + 1;
  const free = bits.filter((b) => Number.isInteger(b) && b >= 0 && b < image.bitsAllocated && (b < lowestStored || b > image.highBit));
  if (free.length > 0 && image.bitsAllocated >= 8) clearBits(file, free);
}
