// Byte order of binary values: swapping words, and putting every value of an Explicit VR Big Endian dataset into
// little-endian order by its VR, at every depth, so the writer can re-encode it in Explicit VR Little Endian.

import type { DataSet, Encoding } from './dataset.js';
import type { ByteSource } from './source.js';
import { formatTag } from './tag.js';
import { vrInfo } from './vr.js';

const EXPLICIT_LE: Encoding = { explicitVR: true, littleEndian: true };

/** Reverses the byte order of each `unit`-byte word in place (little ↔ big endian); a trailing partial word stays. */
export function swapBytes(data: Uint8Array, unit: number): void {
  if (unit <= 1) return;
  const end = data.length - (data.length % unit);
  if (end === 0) return;
  const words = Buffer.from(data.buffer, data.byteOffset, end);
  if (unit === 2) words.swap16();
  else if (unit === 4) words.swap32();
  else if (unit === 8) words.swap64();
  else {
    for (let at = 0; at < end; at += unit) {
      for (let i = 0, j = unit - 1; i < j; i++, j--) {
        const t = data[at + i];
        data[at + i] = data[at + j];
        data[at + j] = t;
      }
    }
  }
}

/**
 * Bytes swapped as a unit between byte orders for a VR (PS3.5 7.3): the number's size for binary numbers and their
 * "other" forms (US 2, UL 4, FD 8, OW 2, OF 4, OD 8, OV 8...), 2 for AT (group and element are two 16-bit words),
 * 1 (nothing) for OB, UN, strings and sequences.
 */
export function swapUnitOf(vr: string): number {
  const info = vrInfo(vr);
  if (info?.kind === 'number') return info.binarySize ?? 1;
  if (info?.kind === 'tag') return 2;
  return 1;
}

/**
 * Puts the values of a big endian dataset (read with `source`) into little-endian order, in place, and marks its
 * items (and theirs) to be written Explicit VR Little Endian. Values are copied before they are swapped: the source's
 * bytes (perhaps a buffer someone else holds) are never changed. Items read as Implicit VR Little Endian (a sequence
 * in a UN element) are little endian already and stay as they are; a UN value of unknown VR is opaque and is kept.
 * Returns why it cannot be done (encapsulated Pixel Data, which a big endian dataset may not hold), or null.
 */
export function valuesToLittleEndian(ds: DataSet, source: ByteSource): string | null {
  for (const el of ds.elements) {
    if (el.fragments !== null) return `encapsulated data in ${formatTag(el.tag)} of a big endian dataset`;
    if (el.items !== null) {
      if (el.itemEncoding?.littleEndian === true) continue;
      for (const item of el.items) {
        if (item.encoding.littleEndian) continue;
        const reason = valuesToLittleEndian(item, source);
        if (reason !== null) return reason;
      }
      el.itemEncoding = EXPLICIT_LE;
      continue;
    }
    const unit = swapUnitOf(el.vr);
    if (unit === 1 || el.valueLength === 0) continue;
    const swapped = Uint8Array.from(el.bytes(source));
    swapBytes(swapped, unit);
    el.setValue(swapped, el.vr);
  }
  return null;
}
