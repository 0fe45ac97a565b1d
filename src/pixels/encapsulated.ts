// Encapsulated Pixel Data: which fragments make up each frame, found from the Extended Offset Table, the Basic
// Offset Table, or (without either) from the fragment count and the codestream start markers, as pydicom does.

import { TS } from '../dicom/uid-registry.generated.js';
import { isExternalRange, type DataElement, type DataSet, type Fragment } from '../dicom/dataset.js';
import type { ByteSource } from '../dicom/source.js';
import { copyBytes } from './bytes.js';
import { PixelDataError } from './errors.js';
import { ExtendedOffsetTable } from '../dicom/tags.generated.js';

const PIXEL_DATA = '(7FE0,0010)';

/** The bytes of one fragment (a view: copy to keep). */
export function fragmentBytes(fragment: Fragment, source: ByteSource): Uint8Array {
  const value = fragment.value;
  if (value instanceof Uint8Array) return value;
  if (isExternalRange(value)) return value.source.read(value.offset, value.length);
  return source.read(value.offset, value.length);
}

/** The first `length` bytes of one fragment (reads no more from the source). */
export function fragmentHead(fragment: Fragment, source: ByteSource, length: number): Uint8Array {
  const value = fragment.value;
  if (value instanceof Uint8Array) return value.subarray(0, length);
  const from = isExternalRange(value) ? value.source : source;
  return from.read(value.offset, Math.min(length, value.length));
}

/** The bytes of a frame made of `fragments` (indexes into element.fragments), as a new buffer. */
export function encapsulatedFrameBytes(element: DataElement, fragments: readonly number[], source: ByteSource): Uint8Array {
  const all = element.fragments ?? [];
  if (fragments.length === 1) return copyBytes(fragmentBytes(all[fragments[0]], source));
  const total = fragments.reduce((sum, i) => sum + all[i].value.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const i of fragments) {
    const bytes = fragmentBytes(all[i], source);
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/** Reads little-endian unsigned integers of `size` bytes (4 or 8). */
function readOffsets(bytes: Uint8Array, size: 4 | 8): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let at = 0; at + size <= bytes.length; at += size) {
    out.push(size === 4 ? view.getUint32(at, true) : Number(view.getBigUint64(at, true)));
  }
  return out;
}

/** PS3.5 numbers every JPEG-family syntax under .4; JPEG 2000 (.4.90-.93) and HTJ2K (.4.201-.203) by these stems. */
const JPEG_FAMILY_ROOT = `${TS.ExplicitVRLittleEndian.slice(0, -1)}4.`;
const J2K_FAMILY_ROOTS = [TS.JPEG2000Lossless.slice(0, -1), TS.HTJ2KLossless.slice(0, -1)];

/** What a frame's first fragment starts with, per transfer syntax family; null when there is no marker to use. */
export function startsFrame(uid: string): ((head: Uint8Array) => boolean) | null {
  if (J2K_FAMILY_ROOTS.some((root) => uid.startsWith(root))) {
    // J2K codestream: SOC then SIZ (FF4F FF51), or a JP2 signature box.
    return (h) => (h[0] === 0xff && h[1] === 0x4f && h[2] === 0xff && h[3] === 0x51) || (h[4] === 0x6a && h[5] === 0x50 && h[6] === 0x20);
  }
  if (uid.startsWith(JPEG_FAMILY_ROOT)) return (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff; // SOI
  if (uid === TS.RLELossless) {
    // RLE header: 1..15 segments, the first starting right after the 64-byte header.
    return (h) => {
      if (h.length < 8) return false;
      const view = new DataView(h.buffer, h.byteOffset, 8);
      const count = view.getUint32(0, true);
      return count >= 1 && count <= 15 && view.getUint32(4, true) === 64;
    };
  }
  return null;
}

/** Fragment indexes (1-based into element.fragments; 0 is the offset table) of each frame, in frame order. */
export function locateFrames(
  dataset: DataSet, element: DataElement, numberOfFrames: number, transferSyntaxUid: string, source: ByteSource,
): number[][] {
  const fragments = element.fragments ?? [];
  const dataFragments = fragments.length - 1;
  if (dataFragments < 1) throw new PixelDataError('encapsulated Pixel Data has no fragments', PIXEL_DATA);

  // Position of each data fragment's item header, counted from the first item after the offset table.
  const positions: number[] = [];
  let position = 0;
  for (let i = 1; i < fragments.length; i++) {
    positions.push(position);
    position += 8 + fragments[i].value.length;
  }
  const byOffsets = (offsets: number[]): number[][] | null => {
    if (offsets.length !== numberOfFrames) return null;
    const starts = offsets.map((offset) => positions.indexOf(offset));
    if (starts.some((s, i) => s < 0 || (i > 0 && s <= starts[i - 1]))) return null;
    return starts.map((start, i) => range(start + 1, (i + 1 < starts.length ? starts[i + 1] : dataFragments) + 1));
  };

  const extended = dataset.get(ExtendedOffsetTable);
  if (extended && extended.valueLength > 0) {
    const frames = byOffsets(readOffsets(extended.bytes(source), 8));
    if (frames) return frames;
  }
  const table = fragmentBytes(fragments[0], source);
  if (table.length > 0) {
    const frames = byOffsets(readOffsets(table, 4));
    if (frames) return frames;
  }
  if (numberOfFrames === 1) return [range(1, fragments.length)];
  if (dataFragments === numberOfFrames) return range(1, fragments.length).map((i) => [i]);
  const isStart = startsFrame(transferSyntaxUid);
  if (isStart) {
    const starts = range(1, fragments.length).filter((i) => isStart(fragmentBytes(fragments[i], source).subarray(0, 12)));
    if (starts.length === numberOfFrames && starts[0] === 1) {
      return starts.map((start, i) => range(start, i + 1 < starts.length ? starts[i + 1] : fragments.length));
    }
  }
  throw new PixelDataError(
    `cannot tell the ${numberOfFrames} frames apart in ${dataFragments} fragments (no usable offset table, frame start markers do not match)`,
    PIXEL_DATA,
  );
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
