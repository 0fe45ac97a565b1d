// Bits of a pixel word outside Bits Stored (above High Bit, or below the lowest stored bit) hold no pixel value, yet
// they can hold anything: an overlay, text drawn in bit 15. They are set to their one canonical value, 0 (for signed
// samples the bits above High Bit repeat the sign bit, as most writers store them), so they carry nothing. Pixel
// values as every reader reads them (masked to Bits Stored) do not change.

import type { DicomFile } from '../dicom/part10.js';
import { describe, pixelDataElement } from './frames.js';
import { frameBytes, type PixelLayout } from './image.js';
import { byteSwapUnit, nativeValue } from './native.js';
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
 * False when no word of the frame (stored in `littleEndian` order or its reverse) can hold a non-canonical unused
 * bit: for unsigned samples the OR of all words has none of them set; signed samples are looked at word by word.
 */
function mayHoldUnusedBits(bytes: Uint8Array, layout: PixelLayout, masks: { above: number; below: number }, littleEndian: boolean): boolean {
  if (layout.pixelRepresentation === 1) return signedMayHoldUnusedBits(bytes, layout, masks, littleEndian);
  const mask = masks.above + masks.below;
  const width = layout.bitsAllocated / 8;
  // The OR of the bytes at each position of a word, whatever the view's alignment: the aligned middle is read as
  // 32-bit words (each holds whole words of 1, 2 or 4 bytes), the ends byte by byte.
  const lanes = [0, 0, 0, 0];
  const head = Math.min(bytes.length, (4 - (bytes.byteOffset % 4)) % 4);
  for (let i = 0; i < head; i++) lanes[i % width] |= bytes[i];
  const count = (bytes.length - head) >> 2;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + head, count);
  let acc = 0;
  for (let i = 0; i < count; i++) acc |= words[i];
  for (let k = 0; k < 4; k++) lanes[(head + k) % width] |= (acc >>> (8 * k)) & 0xff;
  for (let i = head + count * 4; i < bytes.length; i++) lanes[i % width] |= bytes[i];
  // The word as stored: little-endian, or big endian with its bytes reversed.
  let word = 0;
  for (let lane = 0; lane < width; lane++) word += lanes[lane] * 2 ** (8 * (littleEndian ? lane : width - 1 - lane));
  return ((word & mask) >>> 0) !== 0;
}

/** Signed samples: each word's bits above High Bit must repeat its sign bit (exact for little-endian 16-bit words). */
function signedMayHoldUnusedBits(bytes: Uint8Array, layout: PixelLayout, masks: { above: number; below: number }, littleEndian: boolean): boolean {
  if (!littleEndian || layout.bitsAllocated !== 16 || bytes.byteOffset % 2 !== 0) return true;
  const words = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
  const { above, below } = masks;
  const sign = 2 ** layout.highBit;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if ((word & below) !== 0 || (word & above) !== ((word & sign) !== 0 ? above : 0)) return true;
  }
  return false;
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
  // A read-only look first (the common case: every word already canonical, nothing is copied or written).
  const value = nativeValue(file, element);
  const size = frameBytes(image);
  // Words are swapped by the VR's unit (byteSwapUnit): OB holds 16-bit words in no one order, so look at both.
  const unit = byteSwapUnit(image, element.vr);
  const orders = file.transferSyntax.littleEndian ? [true] : unit === image.bitsAllocated / 8 ? [false] : [true, false];
  const suspect: number[] = [];
  for (let index = 0; index < image.numberOfFrames; index++) {
    const bytes = value.source.read(value.offset + index * size, size);
    if (orders.some((littleEndian) => mayHoldUnusedBits(bytes, image, masks, littleEndian))) suspect.push(index);
  }
  if (suspect.length === 0) return unchanged;
  const sink = createFrameSink(element.valueLength, { directory: options.scratchDirectory, inMemoryMaxBytes: options.inMemoryMaxBytes });
  const changed = rewriteNativeFrames(file, element, image, suspect, (data) => canonicalizeUnusedBits(data, image, keepBits), sink);
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
