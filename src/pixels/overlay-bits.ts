// Clearing an overlay stored in unused high bits of native Pixel Data (60xx,0102 Overlay Bit Position with no
// 60xx,3000 Overlay Data): the bits are zeroed in every pixel word, frame by frame, the pixel values kept.

import type { DicomFile } from '../dicom/part10.js';
import { PixelDataError } from './errors.js';
import { describe, pixelDataElement } from './frames.js';
import { rewriteNativeFrames } from './rewrite-native.js';
import { createFrameSink } from './scratch.js';

export interface ClearBitsResult {
  /** False when no pixel word had any of the bits set (Pixel Data untouched). */
  changed: boolean;
  framesChanged: number[];
  release(): void;
}

/**
 * Zeroes bit positions `bits` (0 = least significant) of every sample word of native Pixel Data. Positions inside
 * the stored value (Bits Stored below High Bit) are refused: clearing them would change pixel values.
 */
export function clearBits(
  file: DicomFile, bits: readonly number[], options: { scratchDirectory?: string; inMemoryMaxBytes?: number } = {},
): ClearBitsResult {
  const element = pixelDataElement(file);
  const image = describe(file);
  if (element.fragments) throw new PixelDataError('overlay bits can only be cleared from native Pixel Data', '(7FE0,0010)', undefined, file.name);
  if (image.bitsAllocated < 8) throw new PixelDataError('1-bit Pixel Data has no unused bits', '(0028,0100)', undefined, file.name);
  const lowestStored = image.highBit - image.bitsStored + 1;
  let mask = 0;
  for (const bit of bits) {
    if (!Number.isInteger(bit) || bit < 0 || bit >= image.bitsAllocated) {
      throw new PixelDataError(`bit position ${bit} is outside the ${image.bitsAllocated}-bit pixel word`, '(60xx,0102)', undefined, file.name);
    }
    if (bit >= lowestStored && bit <= image.highBit) {
      throw new PixelDataError(`bit position ${bit} holds pixel value bits (Bits Stored ${image.bitsStored}, High Bit ${image.highBit})`, '(60xx,0102)', undefined, file.name);
    }
    mask |= 2 ** bit;
  }
  const release = { changed: false, framesChanged: [] as number[], release: () => {} };
  if (mask === 0) return release;
  const keep = ~mask >>> 0;
  const sink = createFrameSink(element.valueLength, options);
  const all = Array.from({ length: image.numberOfFrames }, (_, i) => i);
  const changed = rewriteNativeFrames(file, element, image, all, (data) => {
    let any = false;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const step = image.bitsAllocated / 8;
    for (let at = 0; at + step <= data.length; at += step) {
      const word = step === 1 ? data[at] : step === 2 ? view.getUint16(at, true) : view.getUint32(at, true);
      if ((word & mask) === 0) continue;
      any = true;
      const cleared = (word & keep) >>> 0;
      if (step === 1) data[at] = cleared;
      else if (step === 2) view.setUint16(at, cleared, true);
      else view.setUint32(at, cleared, true);
    }
    return any;
  }, sink);
  if (changed.length === 0) {
    sink.close();
    return release;
  }
  const close = file.close;
  file.close = () => {
    close();
    sink.close();
  };
  return { changed: true, framesChanged: changed, release: () => sink.close() };
}
