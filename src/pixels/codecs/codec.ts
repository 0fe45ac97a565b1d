// What every codec adapter offers: decode one frame's codestream to native little-endian samples and encode one
// frame back, plus the sample helpers they share (sign extension, masking, plane interleaving).

import type { PixelLayout } from '../image.js';
import { copyBytes } from '../bytes.js';

export { copyBytes };

/** A decoded frame: little-endian samples in `layout` (interleaved unless layout says planar), in its photometric. */
export interface DecodedFrame {
  data: Uint8Array;
  layout: PixelLayout;
  /** Coding parameters read from the codestream (NEAR, interleave, subsampling) that a re-encode should keep. */
  codingParameters?: Readonly<Record<string, number>>;
}

export interface EncodedFrame {
  data: Uint8Array;
  /** Photometric Interpretation the codestream is in (e.g. YBR_RCT when the J2K encoder applied its colour transform). */
  photometricInterpretation: string;
}

export interface FrameCodec {
  /** Transfer syntax name, for messages. */
  readonly name: string;
  /** Encoding loses information (lossy syntaxes). */
  readonly lossy: boolean;
  /** Lossy Image Compression Method (0028,2114) term of the syntax; null for lossless ones. */
  readonly lossyMethod: string | null;
  /** Decodes one frame; `layout` is the file's image description (its photometric as stored). */
  decode(encoded: Uint8Array, layout: PixelLayout): DecodedFrame;
  /** Encodes one frame given as `decode` returns it (interleaved, little-endian, in `layout`'s photometric). */
  encode(frame: DecodedFrame): EncodedFrame;
  /** False when `encode` cannot write frames of this image in the syntax (absent: it can). */
  encodes?(image: PixelLayout): boolean;
}

/** The codec cannot handle this image (bit depth, samples...): the caller may fall back to writing native. */
export class UnsupportedImageError extends Error {
  override readonly name = 'UnsupportedImageError';
}

/** Bytes per sample codecs exchange: 1 up to 8 bits stored, else 2. */
export const codecBytesPerSample = (layout: PixelLayout): number => (layout.bitsStored <= 8 ? 1 : 2);

/** Interprets the low `bits` bits of each 16-bit little-endian sample as two's complement, in place. */
export function signExtend16(data: Uint8Array, bits: number): void {
  if (bits >= 16) return;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const shift = 32 - bits;
  for (let at = 0; at + 1 < data.length; at += 2) view.setInt16(at, (view.getUint16(at, true) << shift) >> shift, true);
}

/** Interprets the low `bits` bits of each byte as two's complement, in place. */
export function signExtend8(data: Uint8Array, bits: number): void {
  if (bits >= 8) return;
  const shift = 32 - bits;
  for (let i = 0; i < data.length; i++) data[i] = ((data[i] << shift) >> shift) & 0xff;
}

/** A copy keeping only the low `bits` bits of each sample (codecs of unsigned precision `bits`). */
export function maskSamples(data: Uint8Array, bytesPerSample: number, bits: number): Uint8Array {
  const out = copyBytes(data);
  if (bits >= bytesPerSample * 8) return out;
  const mask = (1 << bits) - 1;
  if (bytesPerSample === 1) for (let i = 0; i < out.length; i++) out[i] &= mask;
  else {
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    for (let at = 0; at + 1 < out.length; at += 2) view.setUint16(at, view.getUint16(at, true) & mask, true);
  }
  return out;
}

/** Sign-extends signed samples from Bits Stored so every decoder hands back the same words. */
export function normalizeSigned(data: Uint8Array, layout: PixelLayout): void {
  if (layout.pixelRepresentation !== 1) return;
  if (codecBytesPerSample(layout) === 1) signExtend8(data, layout.bitsStored);
  else signExtend16(data, layout.bitsStored);
}

/** Planes (all R, all G, all B) → interleaved samples (RGBRGB), for `samples` samples of `bytes` bytes. */
export function interleavePlanes(data: Uint8Array, pixels: number, samples: number, bytes: number): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let s = 0; s < samples; s++) {
    for (let p = 0; p < pixels; p++) {
      for (let b = 0; b < bytes; b++) out[(p * samples + s) * bytes + b] = data[(s * pixels + p) * bytes + b];
    }
  }
  return out;
}

/** Interleaved samples → planes. */
export function planesOf(data: Uint8Array, pixels: number, samples: number, bytes: number): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let s = 0; s < samples; s++) {
    for (let p = 0; p < pixels; p++) {
      for (let b = 0; b < bytes; b++) out[(s * pixels + p) * bytes + b] = data[(p * samples + s) * bytes + b];
    }
  }
  return out;
}

/** The decoded layout: interleaved, with the given photometric, Bits Allocated as the codec's sample size. */
export function decodedLayout(layout: PixelLayout, photometricInterpretation: string): PixelLayout {
  const bitsAllocated = codecBytesPerSample(layout) * 8;
  return { ...layout, photometricInterpretation, planarConfiguration: 0, bitsAllocated, highBit: Math.min(layout.highBit, bitsAllocated - 1) };
}

/** Checks a decoded buffer has the size the layout says, so a wrong codestream never passes silently. */
export function checkDecodedSize(name: string, data: Uint8Array, layout: PixelLayout): void {
  const expected = layout.rows * layout.columns * layout.samplesPerPixel * codecBytesPerSample(layout);
  if (data.length !== expected) {
    throw new Error(`${name} decoded ${data.length} bytes where ${layout.rows}×${layout.columns}×${layout.samplesPerPixel} samples need ${expected}`);
  }
}

