// A DICOM tag as one unsigned 32-bit number: (group << 16) | element. One representation everywhere.

import { DoubleFloatPixelData, FloatPixelData, PixelData } from './tags.generated.js';

export type Tag = number;

export const makeTag = (group: number, element: number): Tag => ((group & 0xffff) * 0x10000 + (element & 0xffff)) >>> 0;
export const tagGroup = (tag: Tag): number => tag >>> 16;
export const tagElement = (tag: Tag): number => tag & 0xffff;
export const isPrivateGroup = (group: number): boolean => (group & 1) === 1 && group > 0x0008 && group !== 0xffff;
export const isPrivateTag = (tag: Tag): boolean => isPrivateGroup(tagGroup(tag));
/** (gggg,0010)-(gggg,00FF) in an odd group: reserves a block of 256 private elements. */
export const isPrivateCreatorTag = (tag: Tag): boolean => {
  const element = tagElement(tag);
  return isPrivateTag(tag) && element >= 0x0010 && element <= 0x00ff;
};
export const isGroupLengthTag = (tag: Tag): boolean => tagElement(tag) === 0x0000;

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

/** "(GGGG,EEEE)" upper-case hex. */
export const formatTag = (tag: Tag): string => `(${hex4(tagGroup(tag))},${hex4(tagElement(tag))})`;

/** Parses "(gggg,eeee)", "gggg,eeee" or "ggggeeee"; null when it is none of these (no spaces allowed inside). */
export function parseTag(text: string): Tag | null {
  const m = /^\(?([0-9a-fA-F]{4}),?([0-9a-fA-F]{4})\)?$/.exec(text.trim());
  if (!m) return null;
  const open = text.trim().startsWith('('), close = text.trim().endsWith(')');
  if (open !== close) return null;
  return makeTag(parseInt(m[1], 16), parseInt(m[2], 16));
}

/**
 * The one parser of tag patterns: 8 hex-or-x characters ("0010xxxx", "60xx3000") → the bits that must match (each x
 * clears its 4 bits) and their value. Null when `digits` is not 8 such characters.
 */
export function parseTagMask(digits: string): { mask: number; value: number } | null {
  if (!/^[0-9A-Fa-fXx]{8}$/.test(digits)) return null;
  let mask = 0;
  let value = 0;
  for (const ch of digits) {
    const wild = ch === 'x' || ch === 'X';
    mask = mask * 16 + (wild ? 0 : 0xf);
    value = value * 16 + (wild ? 0 : parseInt(ch, 16));
  }
  return { mask: mask >>> 0, value: value >>> 0 };
}

/** Pixel Data, Float Pixel Data and Double Float Pixel Data. */
export const PIXEL_DATA_TAGS: ReadonlySet<number> = new Set([PixelData, FloatPixelData, DoubleFloatPixelData]);
export const UNDEFINED_LENGTH = 0xffffffff;
