// Native (uncompressed) Pixel Data: where each frame's bytes are, reading one frame as little-endian bytes, and
// putting bytes back into the file's byte order. One frame at a time: a frame is copied, never the whole value.

import type { DataElement, ExternalRange } from '../dicom/dataset.js';
import type { DicomFile } from '../dicom/part10.js';
import { BufferSource } from '../dicom/source.js';
import { swapBytes } from '../dicom/byte-order.js';
import { copyBytes } from './bytes.js';
import { PixelDataError } from './errors.js';
import { frameBits, frameBytes, type ImageDescription } from './image.js';

export { swapBytes };

const PIXEL_DATA = '(7FE0,0010)';

/** The whole Pixel Data value of a native file as a range of some source. */
export function nativeValue(file: DicomFile, element: DataElement): ExternalRange {
  if (element.bulk) return { source: file.datasetSource, offset: element.bulk.offset, length: element.bulk.length };
  if (element.value) return { source: new BufferSource(element.value), offset: 0, length: element.value.length };
  if (element.external) {
    if (element.external.length === 1) return element.external[0];
    const bytes = element.bytes(file.datasetSource);
    return { source: new BufferSource(bytes), offset: 0, length: bytes.length };
  }
  throw new PixelDataError('Pixel Data has no value', PIXEL_DATA);
}

/**
 * Bytes swapped as a unit in big endian files. The VR decides (PS3.5 7.3: OW is a stream of 16-bit words, so
 * even 8-bit or 32-bit pixels in OW are swapped in pairs); without a word VR, the sample size.
 */
export function byteSwapUnit(image: ImageDescription, vr: string): number {
  const byVR: Record<string, number> = { OB: 1, OW: 2, OL: 4, OF: 4, OD: 8 };
  return byVR[vr] ?? Math.max(1, image.bitsAllocated / 8);
}

/** Checks that the value holds every frame; a shorter value would make frames read past its end. */
export function checkNativeLength(image: ImageDescription, length: number): void {
  const needed = Math.ceil((frameBits(image) * image.numberOfFrames) / 8);
  if (length < needed) {
    throw new PixelDataError(
      `Pixel Data holds ${length} bytes but ${image.numberOfFrames} frame(s) of ${image.rows}×${image.columns} need ${needed}`,
      PIXEL_DATA,
    );
  }
}

/**
 * One native frame as a new little-endian buffer. For Bits Allocated 1 the frame's bits are realigned to start
 * at bit 0 (frames of a multi-frame 1-bit image need not start on a byte boundary).
 */
export function readNativeFrame(file: DicomFile, element: DataElement, image: ImageDescription, index: number): Uint8Array {
  if (index < 0 || index >= image.numberOfFrames || !Number.isInteger(index)) {
    throw new PixelDataError(`no frame ${index} in an image of ${image.numberOfFrames} frame(s)`, PIXEL_DATA, index);
  }
  const value = nativeValue(file, element);
  checkNativeLength(image, value.length);
  const littleEndian = file.transferSyntax.littleEndian;
  const unit = byteSwapUnit(image, element.vr);
  if (image.bitsAllocated === 1) {
    const bits = frameBits(image);
    const firstBit = bits * index;
    const startByte = Math.floor(firstBit / 8);
    const spanBytes = Math.ceil((firstBit + bits) / 8) - startByte;
    // Read whole swap units so a big endian OW value can be put in little-endian order first.
    const readStart = startByte - (startByte % unit);
    const readEnd = Math.min(value.length, Math.ceil((startByte + spanBytes) / unit) * unit);
    const raw = copyBytes(value.source.read(value.offset + readStart, readEnd - readStart));
    if (!littleEndian) swapBytes(raw, unit);
    const shift = firstBit - readStart * 8;
    const out = new Uint8Array(Math.ceil(bits / 8));
    if (shift === 0) out.set(raw.subarray(0, out.length));
    else {
      for (let i = 0; i < bits; i++) {
        const from = shift + i;
        if (raw[from >> 3] & (1 << (from & 7))) out[i >> 3] |= 1 << (i & 7);
      }
    }
    return out;
  }
  const size = frameBytes(image);
  const out = copyBytes(value.source.read(value.offset + size * index, size));
  if (!littleEndian) swapBytes(out, unit);
  return out;
}
