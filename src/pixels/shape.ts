// Pixel Data that holds more than its frames: a native value longer than Number of Frames × the frame size (beyond
// the one pad byte that makes it even), or encapsulated fragments and offset table entries beyond Number of Frames.
// No reader shows the excess, yet it can hold a whole hidden frame: native excess is cut off, encapsulated excess is
// named so the caller can refuse the file (which fragments are the frames is then ambiguous).

import type { DicomFile } from '../dicom/part10.js';
import { BufferSource } from '../dicom/source.js';
import { ExtendedOffsetTable } from '../dicom/tags.generated.js';
import { fragmentHead, startsFrame } from './encapsulated.js';
import { describe, pixelDataElement } from './frames.js';
import { frameBits } from './image.js';
import { nativeValue } from './native.js';

/** Bytes a native value needs for its frames, and the length it may have (the same, plus a pad byte when odd). */
function nativeNeeds(file: DicomFile): { needed: number; allowed: number } {
  const image = describe(file);
  const needed = Math.ceil((frameBits(image) * image.numberOfFrames) / 8);
  return { needed, allowed: needed + (needed % 2) };
}

/** Bytes of native Pixel Data beyond its frames and pad byte; 0 for encapsulated Pixel Data or none. */
export function nativeExcessBytes(file: DicomFile): number {
  const element = pixelDataElement(file);
  if (element.fragments) return 0;
  return Math.max(0, element.valueLength - nativeNeeds(file).allowed);
}

/** Cuts native Pixel Data to its frames (and a zero pad byte when their length is odd); returns the bytes removed. */
export function removeNativeExcess(file: DicomFile): number {
  const element = pixelDataElement(file);
  if (element.fragments) return 0;
  const { needed, allowed } = nativeNeeds(file);
  const excess = element.valueLength - allowed;
  if (excess <= 0) return 0;
  const value = nativeValue(file, element);
  const ranges = [{ source: value.source, offset: value.offset, length: needed }];
  if (allowed > needed) ranges.push({ source: new BufferSource(new Uint8Array(1)), offset: 0, length: 1 });
  element.setExternalValue(ranges, element.vr);
  return excess;
}

/**
 * Why encapsulated Pixel Data holds more than Number of Frames frames, or null: an offset table (Basic or Extended)
 * with more entries than frames, or more fragments that start a codestream than frames.
 */
export function encapsulatedExcess(file: DicomFile): string | null {
  const element = pixelDataElement(file);
  const fragments = element.fragments;
  if (!fragments || fragments.length === 0) return null;
  const frames = describe(file).numberOfFrames;
  const extended = file.dataset.get(ExtendedOffsetTable);
  if (extended && extended.valueLength / 8 > frames) {
    return `the Extended Offset Table lists ${extended.valueLength / 8} frames where Number of Frames is ${frames}`;
  }
  const table = fragments[0].value.length;
  if (table / 4 > frames) return `the Basic Offset Table lists ${Math.floor(table / 4)} frames where Number of Frames is ${frames}`;
  const isStart = startsFrame(file.transferSyntax.uid);
  if (isStart && fragments.length - 1 > frames) {
    let starts = 0;
    for (let i = 1; i < fragments.length; i++) if (isStart(fragmentHead(fragments[i], file.datasetSource, 12))) starts++;
    if (starts > frames) return `${starts} fragments start a codestream where Number of Frames is ${frames}`;
  }
  return null;
}
