// Bits of a pixel word outside Bits Stored (above High Bit, or below the lowest stored bit) hold no pixel value, yet
// they can hold anything: an overlay, text drawn in bit 15. They are set to their one canonical value, 0 (for signed
// samples the bits above High Bit repeat the sign bit, as most writers store them), so they carry nothing. Pixel
// values as every reader reads them (masked to Bits Stored) do not change.

import type { DicomFile } from '../dicom/part10.js';
import { describe, pixelDataElement } from './frames.js';
import { frameBytes, type PixelLayout } from './image.js';
import { rewriteNativeFrames } from './rewrite-native.js';
import { createFrameSink } from './scratch.js';

export interface UnusedBitsResult {
  /** False when every word already held the canonical bits (Pixel Data untouched). */
  changed: boolean;
  framesChanged: number[];
  /** Frees the staged frames (also done by file.close()). */
  release(): void;
}

/** Masks (within the word) of the bits above High Bit and of the bits below the lowest stored bit. */
function unusedMasks(layout: PixelLayout, keepBits: readonly number[]): { above: number; below: number } {
  const { bitsAllocated, bitsStored, highBit } = layout;
  if (bitsAllocated < 8 || bitsStored >= bitsAllocated) return { above: 0, below: 0 };
  const lowest = highBit - bitsStored + 1;
  let above = 0, below = 0;
  for (let bit = highBit + 1; bit < bitsAllocated; bit++) above += 2 ** bit;
  for (let bit = 0; bit < lowest; bit++) below += 2 ** bit;
  for (const bit of keepBits) {
    if (bit > highBit && bit < bitsAllocated) above -= above % 2 ** (bit + 1) >= 2 ** bit ? 2 ** bit : 0;
    if (bit < lowest && bit >= 0) below -= below % 2 ** (bit + 1) >= 2 ** bit ? 2 ** bit : 0;
  }
  return { above, below };
}

/** True when samples of `layout` have bits outside Bits Stored (Bits Allocated 8, 16 or 32 and more than Bits Stored). */
export const hasUnusedBits = (layout: PixelLayout): boolean => layout.bitsAllocated >= 8 && layout.bitsStored < layout.bitsAllocated;

/**
 * Sets the unused bits of every sample word of one frame (little-endian, `layout`) to their canonical value, in place;
 * positions in `keepBits` (an overlay the plan keeps) are left alone. Returns true when any word changed.
 */
export function canonicalizeUnusedBits(data: Uint8Array, layout: PixelLayout, keepBits: readonly number[] = []): boolean {
  const { above, below } = unusedMasks(layout, keepBits);
  if (above === 0 && below === 0) return false;
  const signed = layout.pixelRepresentation === 1;
  const signBit = 2 ** layout.highBit;
  let changed = false;
  if (layout.bitsAllocated === 8 || layout.bitsAllocated === 16) {
    const words = layout.bitsAllocated === 8
      ? data
      : data.byteOffset % 2 === 0 ? new Uint16Array(data.buffer, data.byteOffset, data.length >> 1) : null;
    if (words) {
      const clear = ~(above | below) & 0xffff;
      for (let i = 0; i < words.length; i++) {
        const word = words[i];
        const want = signed && (word & signBit) !== 0 ? (word & clear) | above : word & clear;
        if (want !== word) {
          words[i] = want;
          changed = true;
        }
      }
      return changed;
    }
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const step = layout.bitsAllocated / 8;
  const clear = (~(above + below)) >>> 0;
  for (let at = 0; at + step <= data.length; at += step) {
    const word = step === 2 ? view.getUint16(at, true) : view.getUint32(at, true);
    const sign = signed && Math.floor(word / signBit) % 2 === 1;
    const want = sign ? ((word & clear) | above) >>> 0 : (word & clear) >>> 0;
    if (want === word) continue;
    changed = true;
    if (step === 2) view.setUint16(at, want, true);
    else view.setUint32(at, want, true);
  }
  return changed;
}

/**
 * Canonical unused bits in every frame of native Pixel Data: one masked pass; only frames that held other bits are
 * rewritten (staged like redacted frames). Encapsulated Pixel Data, 1-bit data, samples with no unused bits and a
 * value shorter than its frames are left alone (unchanged). `keepBits`: bit positions of overlays the plan keeps.
 */
export function clearUnusedBits(
  file: DicomFile, options: { keepBits?: readonly number[]; scratchDirectory?: string; inMemoryMaxBytes?: number } = {},
): UnusedBitsResult {
  const unchanged: UnusedBitsResult = { changed: false, framesChanged: [], release: () => {} };
  const element = pixelDataElement(file);
  if (element.fragments) return unchanged;
  const image = describe(file);
  if (!hasUnusedBits(image)) return unchanged;
  // A value shorter than its frames is no image a reader shows (the pixel layer refuses its frames): left as it is.
  if (element.valueLength < frameBytes(image) * image.numberOfFrames) return unchanged;
  const keepBits = options.keepBits ?? [];
  const masks = unusedMasks(image, keepBits);
  if (masks.above === 0 && masks.below === 0) return unchanged;
  const sink = createFrameSink(element.valueLength, { directory: options.scratchDirectory, inMemoryMaxBytes: options.inMemoryMaxBytes });
  const all = Array.from({ length: image.numberOfFrames }, (_, i) => i);
  const changed = rewriteNativeFrames(file, element, image, all, (data) => canonicalizeUnusedBits(data, image, keepBits), sink);
  if (changed.length === 0) {
    sink.close();
    return unchanged;
  }
  const close = file.close;
  file.close = () => {
    close();
    sink.close();
  };
  return { changed: true, framesChanged: changed, release: () => sink.close() };
}
