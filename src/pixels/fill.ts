// Filling rectangles of one frame (little-endian bytes in the native layout) with a stored value per sample, and
// the default fill: black as displayed for the frame's photometric interpretation.

import type { DataSet } from '../dicom/dataset.js';
import type { ByteSource } from '../dicom/source.js';
import type { Rectangle } from '../geometry/rectangle.js';
import { PixelDataError } from './errors.js';
import { readUint16Values, type ImageDescription, type PixelLayout } from './image.js';
import { BluePaletteColorLookupTableData, GreenPaletteColorLookupTableData, RedPaletteColorLookupTableData } from '../dicom/tags.generated.js';

/** The one rectangle type (pixels; `frames`, 0-based, limits it to some frames, all when omitted). */
export type { Rectangle } from '../geometry/rectangle.js';

/** A rectangle clipped to the image, in whole pixels: [x0, x1) × [y0, y1). */
interface Span {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Clips to the image; fractional edges grow outward (a rectangle never covers less than asked). Null when empty. */
export function clipRectangle(rect: Rectangle, layout: PixelLayout): Span | null {
  for (const key of ['x', 'y', 'width', 'height'] as const) {
    if (!Number.isFinite(rect[key])) throw new PixelDataError(`rectangle ${key} is not a finite number`, '');
  }
  if (rect.width < 0 || rect.height < 0) throw new PixelDataError('rectangle has a negative width or height', '');
  let x0 = Math.max(0, Math.floor(rect.x));
  let x1 = Math.min(layout.columns, Math.ceil(rect.x + rect.width));
  const y0 = Math.max(0, Math.floor(rect.y));
  const y1 = Math.min(layout.rows, Math.ceil(rect.y + rect.height));
  if (isSubsampled422(layout)) {
    // Two pixels share their chroma samples: cover whole pairs.
    x0 -= x0 % 2;
    x1 = Math.min(layout.columns + (layout.columns % 2), x1 + (x1 % 2));
  }
  return x1 > x0 && y1 > y0 ? { x0, x1, y0, y1 } : null;
}

const isSubsampled422 = (layout: PixelLayout): boolean =>
  layout.photometricInterpretation === 'YBR_FULL_422' || layout.photometricInterpretation === 'YBR_PARTIAL_422';

/** A stored value as the unsigned word written for it (two's complement for negative values). */
function word(value: number, bitsAllocated: number): number {
  if (bitsAllocated === 32) return value >>> 0;
  return value & ((1 << bitsAllocated) - 1);
}

/**
 * Fills `rectangles` of a frame with `fill` (one stored value per sample). `data` holds the frame in the native
 * little-endian layout; for Bits Allocated 1 the frame starts at bit `bitOffset` of `data`. Returns the number of
 * pixels filled.
 */
export function fillRectangles(
  data: Uint8Array, layout: PixelLayout, rectangles: readonly Rectangle[], fill: readonly number[], bitOffset = 0,
): number {
  if (fill.length !== layout.samplesPerPixel) {
    throw new PixelDataError(`fill has ${fill.length} values for ${layout.samplesPerPixel} samples per pixel`, '');
  }
  const { rows, columns, samplesPerPixel, bitsAllocated } = layout;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const put = (sampleIndex: number, value: number): void => {
    if (layout.float) {
      if (bitsAllocated === 32) view.setFloat32(sampleIndex * 4, value, true);
      else view.setFloat64(sampleIndex * 8, value, true);
    } else if (bitsAllocated === 8) data[sampleIndex] = value;
    else if (bitsAllocated === 16) view.setUint16(sampleIndex * 2, value, true);
    else view.setUint32(sampleIndex * 4, value, true);
  };
  const words = layout.float ? [...fill] : fill.map((value) => word(value, bitsAllocated));
  let filled = 0;
  for (const rect of rectangles) {
    const span = clipRectangle(rect, layout);
    if (!span) continue;
    const { x0, y0, y1 } = span;
    const x1 = Math.min(span.x1, columns);
    filled += (x1 - x0) * (y1 - y0);
    if (bitsAllocated === 1) {
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const bit = bitOffset + y * columns + x;
          if (words[0]) data[bit >> 3] |= 1 << (bit & 7);
          else data[bit >> 3] &= ~(1 << (bit & 7));
        }
      }
      continue;
    }
    if (isSubsampled422(layout)) {
      // Y0 Y1 Cb Cr for each pair of pixels.
      const pairsPerRow = Math.ceil(columns / 2);
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < span.x1; x += 2) {
          const at = (y * pairsPerRow + x / 2) * 4;
          put(at, words[0]);
          put(at + 1, words[0]);
          put(at + 2, words[1]);
          put(at + 3, words[2]);
        }
      }
      continue;
    }
    for (let y = y0; y < y1; y++) {
      for (let s = 0; s < samplesPerPixel; s++) {
        const value = words[s];
        if (layout.planarConfiguration === 1 && samplesPerPixel > 1) {
          const base = s * rows * columns + y * columns;
          for (let x = x0; x < x1; x++) put(base + x, value);
        } else {
          const base = y * columns * samplesPerPixel + s;
          for (let x = x0; x < x1; x++) put(base + x * samplesPerPixel, value);
        }
      }
    }
  }
  return filled;
}

/**
 * The stored value(s) that display as black for a frame of `layout`: 0 for MONOCHROME2 (the minimum when signed),
 * the maximum for MONOCHROME1, 0 for RGB, Y=0 (16 scaled for PARTIAL) with mid-range chroma for YBR, and for
 * PALETTE COLOR the index whose colour is darkest (from the palette data in `dataset`); 0.0 for float samples.
 */
export function defaultFill(layout: PixelLayout, image?: ImageDescription, dataset?: DataSet, source?: ByteSource): number[] {
  if (layout.float) return [0];
  const bits = layout.bitsStored;
  const signed = layout.pixelRepresentation === 1;
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  switch (layout.photometricInterpretation) {
    case 'MONOCHROME1':
      return [max];
    case 'MONOCHROME2':
      return [min];
    case 'RGB':
      return [0, 0, 0];
    case 'PALETTE COLOR':
      return [darkestPaletteIndex(image, dataset, source)];
    default: {
      // YBR family (native YBR_FULL / _422 / PARTIAL): black is the lowest luma with neutral chroma.
      const mid = 2 ** (bits - 1);
      const luma = layout.photometricInterpretation.startsWith('YBR_PARTIAL') ? 16 * 2 ** (bits - 8) : 0;
      return [luma, mid, mid];
    }
  }
}

function darkestPaletteIndex(image: ImageDescription | undefined, dataset: DataSet | undefined, source: ByteSource | undefined): number {
  const palette = image?.palette;
  if (!palette || !dataset) return 0;
  const channel = (tag: number): number[] => {
    const el = dataset.get(tag);
    return el ? readUint16Values(dataset, el, source) : [];
  };
  const red = channel(RedPaletteColorLookupTableData);
  const green = channel(GreenPaletteColorLookupTableData);
  const blue = channel(BluePaletteColorLookupTableData);
  const entries = Math.min(red.length, green.length, blue.length, palette.red.entries);
  if (entries === 0) {
    throw new PixelDataError('PALETTE COLOR without palette data (segmented palettes are not supported): give a fill value', '(0028,1201)');
  }
  let best = 0;
  let bestLuminance = Infinity;
  for (let i = 0; i < entries; i++) {
    const luminance = 0.299 * red[i] + 0.587 * green[i] + 0.114 * blue[i];
    if (luminance < bestLuminance) {
      bestLuminance = luminance;
      best = i;
    }
  }
  return palette.red.firstMapped + best;
}
