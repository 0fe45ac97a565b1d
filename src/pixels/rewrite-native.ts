// Rewrites chosen frames of native Pixel Data, one frame at a time: changed frames go to a FrameSink, unchanged
// ones stay ranges of the original value, so the new value is streamed by the writer and memory stays flat.

import type { DataElement, ExternalRange } from '../dicom/dataset.js';
import type { DicomFile } from '../dicom/part10.js';
import { copyBytes } from './bytes.js';
import { PixelDataError } from './errors.js';
import { frameBits, frameBytes, type ImageDescription } from './image.js';
import { byteSwapUnit, checkNativeLength, nativeValue, swapBytes } from './native.js';
import type { FrameSink } from './scratch.js';

/**
 * Changes frame `index` in place: `data` is the frame in little-endian order (for Bits Allocated 1 the whole
 * value, the frame starting at `bitOffset`). Returns false when it changed nothing.
 */
export type FrameEdit = (data: Uint8Array, index: number, bitOffset: number) => boolean;

/** Applies `edit` to the frames in `frames`; returns the indexes of frames that changed. */
export function rewriteNativeFrames(
  file: DicomFile, element: DataElement, image: ImageDescription, frames: readonly number[], edit: FrameEdit, sink: FrameSink,
): number[] {
  const value = nativeValue(file, element);
  checkNativeLength(image, value.length);
  const unit = byteSwapUnit(image, element.vr);
  const littleEndian = file.transferSyntax.littleEndian;
  const changed: number[] = [];

  if (image.bitsAllocated === 1) {
    // Frames of 1-bit data need not start on a byte boundary: edit the whole (small) value at bit offsets.
    const all = copyBytes(value.source.read(value.offset, value.length));
    if (!littleEndian) swapBytes(all, unit);
    for (const index of frames) if (edit(all, index, frameBits(image) * index)) changed.push(index);
    if (changed.length === 0) return changed;
    if (!littleEndian) swapBytes(all, unit);
    element.setExternalValue([sink.append(all)], element.vr);
    return changed;
  }

  const size = frameBytes(image);
  const wanted = new Set(frames);
  const ranges: ExternalRange[] = [];
  const keep = (offset: number, length: number): void => {
    const last = ranges[ranges.length - 1];
    if (last && last.source === value.source && last.offset + last.length === offset) last.length += length;
    else ranges.push({ source: value.source, offset, length });
  };
  for (let index = 0; index < image.numberOfFrames; index++) {
    const offset = value.offset + index * size;
    if (!wanted.has(index)) {
      keep(offset, size);
      continue;
    }
    const data = copyBytes(value.source.read(offset, size));
    if (data.length !== size) throw new PixelDataError('Pixel Data ends inside the frame', '(7FE0,0010)', index);
    if (!littleEndian) swapBytes(data, unit);
    if (!edit(data, index, 0)) {
      keep(offset, size);
      continue;
    }
    if (!littleEndian) swapBytes(data, unit);
    ranges.push(sink.append(data));
    changed.push(index);
  }
  const tail = value.length - image.numberOfFrames * size;
  if (tail > 0) keep(value.offset + image.numberOfFrames * size, tail);
  if (changed.length > 0) element.setExternalValue(ranges, element.vr);
  return changed;
}
