// Overlays kept in unused high bits of Pixel Data (60xx,0102 without 60xx,3000), found on the original dataset: the
// bit planes of those whose group the plan removed are cleared by pixel-channels.ts with every other bit outside
// Bits Stored; those of overlays the plan kept are left.

import type { DataSet } from '../../dicom/dataset.js';
import type { ByteSource } from '../../dicom/source.js';
import { makeTag } from '../../dicom/tag.js';
import { getNumbers } from '../../dicom/values.js';

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

/** The bit positions of `overlays` whose group the plan kept: their bit planes stay in the pixel words. */
export function keptOverlayBits(overlays: readonly EmbeddedOverlay[], dataset: DataSet): number[] {
  return [...new Set(overlays.filter((o) => dataset.get(makeTag(o.group, 0x0102))).map((o) => o.bit))];
}
