// How a decoded frame is shown in 8 bits: its stored samples, the palette of PALETTE COLOR, YBR to RGB, and the
// grey-scale pipeline read from the dataset. Two ways to show grey use these:
//
// - `displayImage`, for looking at the pixels (text detection): greyscale for monochrome and YBR (its luma), RGB
//   for RGB and PALETTE COLOR. Monochrome frames of 8 bits or fewer map their stored value range linearly
//   (MONOCHROME1 inverted). Deeper frames (12, 16, 32 bits, signed or not) map the frame's own minimum..maximum to
//   0..255: burned-in text is usually the brightest (or darkest) value, so it stays distinct, and the detector
//   stretches a narrow result itself. Window Center/Width is not used: a window clips text that sits above it to
//   the same white as bone. RGB deeper than 8 bits is shifted down to 8.
// - `greyDisplay` + `applyVoi`, as a viewer shows an image (the review page's thumbnails): Modality LUT (Rescale
//   Slope/Intercept), then VOI: VOI LUT Sequence, else Window Center/Width, else the frame's min/max; MONOCHROME1
//   inverted. Attributes are read at the top level, or from the enhanced multi-frame functional groups per frame,
//   then shared.
//
// Nothing is written back; redaction works on the stored values.

import type { DataElement, DataSet } from '../dicom/dataset.js';
import type { ByteSource } from '../dicom/source.js';
import type { Tag } from '../dicom/tag.js';
import { getString } from '../dicom/values.js';
import {
  BluePaletteColorLookupTableData, FrameVOILUTSequence, GreenPaletteColorLookupTableData, LUTData, LUTDescriptor,
  PerFrameFunctionalGroupsSequence, PixelValueTransformationSequence, RedPaletteColorLookupTableData, RescaleIntercept,
  RescaleSlope, SharedFunctionalGroupsSequence, VOILUTSequence, WindowCenter, WindowWidth,
} from '../dicom/tags.generated.js';
import { PixelDataError } from './errors.js';
import { readUint16Values, type ImageDescription, type PixelLayout } from './image.js';

/** 8-bit picture, rows top to bottom; channels 1 (grey) or 3 (RGB interleaved). */
export interface DisplayImage {
  width: number;
  height: number;
  data: Uint8Array;
  channels: 1 | 3;
}

// ---- Stored samples

/** True when a native YBR_*_422 frame holds Y0 Y1 Cb Cr per pair of pixels (fewer bytes than 3 samples each). */
function isSubsampled(data: Uint8Array, layout: PixelLayout): boolean {
  const full = layout.rows * layout.columns * layout.samplesPerPixel * (layout.bitsAllocated / 8);
  return layout.photometricInterpretation.endsWith('_422') && data.length < full;
}

/**
 * Where `storedSamples` puts sample `s` of pixel `p` (row-major): interleaved, planar, or Y0 Y1 Cb Cr per pair of
 * pixels in a row (native YBR_FULL_422 / YBR_PARTIAL_422).
 */
export function sampleIndexer(data: Uint8Array, layout: PixelLayout): { count: number; at: (p: number, s: number) => number } {
  const { rows, columns, samplesPerPixel } = layout;
  const pixels = rows * columns;
  if (samplesPerPixel === 1) return { count: pixels, at: (p) => p };
  if (isSubsampled(data, layout)) {
    const pairsPerRow = Math.ceil(columns / 2);
    return {
      count: pairsPerRow * 4 * rows,
      at: (p, s) => {
        const x = p % columns, y = (p - x) / columns;
        return (y * pairsPerRow + (x >> 1)) * 4 + (s === 0 ? x & 1 : s + 1);
      },
    };
  }
  if (layout.planarConfiguration === 1) return { count: pixels * samplesPerPixel, at: (p, s) => s * pixels + p };
  return { count: pixels * samplesPerPixel, at: (p, s) => p * samplesPerPixel + s };
}

/**
 * The first `count` stored sample values of a frame (little-endian, `layout`), masked to Bits Stored and
 * sign-extended (a 1-bit sample is never signed); samples past the end of `data` read 0. Float32 up to 24 bits
 * stored (exact, half the memory of doubles on a 4096² frame), Float64 above.
 */
export function storedSamples(data: Uint8Array, layout: PixelLayout, count: number): Float32Array | Float64Array | Uint8Array {
  const { bitsAllocated, bitsStored, highBit, pixelRepresentation } = layout;
  if (layout.float) return floatSamples(data, bitsAllocated, count);
  if (bitsAllocated === 8 && bitsStored === 8 && pixelRepresentation === 0 && data.length >= count) return data.subarray(0, count);
  const out = bitsStored <= 24 ? new Float32Array(count) : new Float64Array(count);
  const shift = highBit - bitsStored + 1;
  const signed = pixelRepresentation === 1 && bitsAllocated > 1;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const bytes = bitsAllocated / 8;
  for (let i = 0; i < count; i++) {
    let word: number;
    if (bitsAllocated === 1) word = ((data[i >> 3] ?? 0) >> (i & 7)) & 1;
    else if ((i + 1) * bytes > data.length) word = 0;
    else if (bitsAllocated === 8) word = data[i];
    else if (bitsAllocated === 16) word = view.getUint16(i * 2, true);
    else word = view.getUint32(i * 4, true);
    let value = bitsStored >= 32 ? word >>> shift : (word >>> shift) & (2 ** bitsStored - 1);
    if (signed && value >= 2 ** (bitsStored - 1)) value -= 2 ** bitsStored;
    out[i] = value;
  }
  return out;
}

/** IEEE samples (little-endian) as numbers; NaN and infinities read 0 so a frame's range stays finite. */
function floatSamples(data: Uint8Array, bitsAllocated: number, count: number): Float64Array {
  const out = new Float64Array(count);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const bytes = bitsAllocated / 8;
  for (let i = 0; i < count && (i + 1) * bytes <= data.length; i++) {
    const value = bytes === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
    out[i] = Number.isFinite(value) ? value : 0;
  }
  return out;
}

// ---- Colour

/** Palette entries as 8-bit colours, all three of the same length. */
export interface Palette {
  /** Stored value mapped to entry 0. */
  first: number;
  red: Uint8Array;
  green: Uint8Array;
  blue: Uint8Array;
}

/** LUT entries: 16-bit words, or bytes when an 8-bit table was stored one entry per byte. */
function lutWords(dataset: DataSet, element: DataElement, source: ByteSource | undefined, entries: number, bits: number): number[] {
  const bytes = source ? element.bytes(source) : element.value ?? new Uint8Array(0);
  if (bits <= 8 && bytes.length === entries) return [...bytes];
  return readUint16Values(dataset, element, source).slice(0, entries);
}

/**
 * The palette of a PALETTE COLOR image as 8-bit colours; null when it has no descriptors or its tables are missing
 * or empty (segmented palettes are not read).
 */
export function readPalette(dataset: DataSet, source: ByteSource | undefined, image: ImageDescription): Palette | null {
  const descriptors = image.palette;
  if (!descriptors) return null;
  const channel = (tag: Tag, descriptor: { entries: number; bits: number }): Uint8Array | null => {
    const el = dataset.get(tag);
    if (!el || el.valueLength === 0) return null;
    const words = lutWords(dataset, el, source, descriptor.entries, descriptor.bits);
    if (words.length === 0) return null;
    // 16-bit entries: the high byte. 8-bit entries in words: the low byte, unless it is always 0 (written high).
    const highByte = descriptor.bits > 8 || words.every((w) => (w & 0xff) === 0);
    return Uint8Array.from(words, (w) => (highByte ? w >> 8 : w & 0xff));
  };
  const red = channel(RedPaletteColorLookupTableData, descriptors.red);
  const green = channel(GreenPaletteColorLookupTableData, descriptors.green);
  const blue = channel(BluePaletteColorLookupTableData, descriptors.blue);
  if (!red || !green || !blue) return null;
  const entries = Math.min(red.length, green.length, blue.length);
  return { first: descriptors.red.firstMapped, red: red.subarray(0, entries), green: green.subarray(0, entries), blue: blue.subarray(0, entries) };
}

/** The palette entry shown for stored value `value`: values outside the table take its first or last entry. */
export const paletteEntry = (palette: Palette, value: number): number =>
  Math.max(0, Math.min(palette.red.length - 1, value - palette.first));

const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** One YBR sample triple as RGB (PS3.3 C.7.6.3.1.2: FULL uses the whole range, PARTIAL the video range). */
export function ybrToRgb(y: number, cb: number, cr: number, partial: boolean): [number, number, number] {
  if (partial) {
    const yy = 1.1644 * (y - 16);
    return [clamp8(yy + 1.5960 * (cr - 128)), clamp8(yy - 0.3918 * (cb - 128) - 0.8130 * (cr - 128)), clamp8(yy + 2.0172 * (cb - 128))];
  }
  return [clamp8(y + 1.402 * (cr - 128)), clamp8(y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128)), clamp8(y + 1.772 * (cb - 128))];
}

// ---- Grey as a viewer shows it: Modality LUT, VOI

/** A VOI LUT: input value `first` maps to data[0]; values outside clamp to the ends. */
export interface VoiLut {
  first: number;
  data: number[];
  min: number;
  max: number;
}

export type Voi = { kind: 'lut'; lut: VoiLut } | { kind: 'window'; center: number; width: number } | { kind: 'minmax' };

export interface GreyDisplay {
  slope: number;
  intercept: number;
  voi: Voi;
  invert: boolean;
}

function numbersOf(dataset: DataSet, tag: Tag, source: ByteSource): number[] {
  const el = dataset.get(tag);
  if (!el || el.items !== null || el.valueLength === 0) return [];
  return getString(dataset, el, source).split('\\').map((v) => Number.parseFloat(v)).filter((v) => Number.isFinite(v));
}

/** The first item of a sequence, or null. */
function firstItem(dataset: DataSet, tag: Tag): DataSet | null {
  const el = dataset.get(tag);
  return el?.items && el.items.length > 0 ? el.items[0] : null;
}

/** Where a frame's attribute of a functional group macro is: its per-frame item, the shared item, then the top level. */
function placesFor(dataset: DataSet, macro: Tag, frame: number): DataSet[] {
  const places: DataSet[] = [];
  const perFrame = dataset.get(PerFrameFunctionalGroupsSequence)?.items?.[frame];
  const inPerFrame = perFrame ? firstItem(perFrame, macro) : null;
  if (inPerFrame) places.push(inPerFrame);
  const shared = firstItem(dataset, SharedFunctionalGroupsSequence);
  const inShared = shared ? firstItem(shared, macro) : null;
  if (inShared) places.push(inShared);
  places.push(dataset);
  return places;
}

function voiLut(dataset: DataSet, source: ByteSource, signed: boolean): VoiLut | null {
  const item = firstItem(dataset, VOILUTSequence);
  const descriptor = item?.get(LUTDescriptor);
  const data = item?.get(LUTData);
  if (!item || !descriptor || !data) return null;
  const d = readUint16Values(item, descriptor, source);
  if (d.length !== 3) return null;
  const entries = d[0] === 0 ? 65536 : d[0];
  const first = signed && d[1] > 32767 ? d[1] - 65536 : d[1];
  const values = lutWords(item, data, source, entries, d[2]);
  if (values.length === 0) return null;
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { first, data: values, min, max };
}

/** The grey-scale display of frame `frame` (0-based) of the image `dataset` holds. */
export function greyDisplay(dataset: DataSet, source: ByteSource, image: ImageDescription, frame: number): GreyDisplay {
  let slope = 1, intercept = 0;
  for (const place of placesFor(dataset, PixelValueTransformationSequence, frame)) {
    const s = numbersOf(place, RescaleSlope, source), i = numbersOf(place, RescaleIntercept, source);
    if (s.length > 0 || i.length > 0) {
      slope = s[0] ?? 1;
      intercept = i[0] ?? 0;
      break;
    }
  }
  if (slope === 0) slope = 1;
  let voi: Voi = { kind: 'minmax' };
  const lut = voiLut(dataset, source, image.pixelRepresentation === 1);
  if (lut) voi = { kind: 'lut', lut };
  else {
    for (const place of placesFor(dataset, FrameVOILUTSequence, frame)) {
      const c = numbersOf(place, WindowCenter, source), w = numbersOf(place, WindowWidth, source);
      if (c.length > 0 && w.length > 0 && w[0] >= 1) {
        voi = { kind: 'window', center: c[0], width: w[0] };
        break;
      }
    }
  }
  return { slope, intercept, voi, invert: image.photometricInterpretation === 'MONOCHROME1' };
}

/** Maps a modality value to 0..255 under `voi` (PS3.3 C.11.2.1.2 for the linear window); `min`..`max` for minmax. */
export function applyVoi(value: number, voi: Voi, min: number, max: number): number {
  switch (voi.kind) {
    case 'window': {
      const { center: c, width: w } = voi;
      if (value <= c - 0.5 - (w - 1) / 2) return 0;
      if (value > c - 0.5 + (w - 1) / 2) return 255;
      return Math.round(((value - (c - 0.5)) / (w - 1) + 0.5) * 255);
    }
    case 'lut': {
      const { lut } = voi;
      const at = Math.min(lut.data.length - 1, Math.max(0, Math.round(value) - lut.first));
      return lut.max > lut.min ? Math.round(((lut.data[at] - lut.min) / (lut.max - lut.min)) * 255) : 0;
    }
    case 'minmax':
      return max > min ? Math.round(((value - min) / (max - min)) * 255) : 0;
  }
}

// ---- The picture for looking at the pixels

/** Linear map of `values` to 0..255: the full stored range for up to 8 bits, else the frame's min..max. */
function toGrey(values: Float32Array | Float64Array | Uint8Array, layout: PixelLayout, invert: boolean): Uint8Array {
  const out = new Uint8Array(values.length);
  let low: number, high: number;
  if (layout.bitsStored <= 8) {
    low = layout.pixelRepresentation === 1 && layout.bitsAllocated > 1 ? -(2 ** (layout.bitsStored - 1)) : 0;
    high = low + 2 ** layout.bitsStored - 1;
  } else {
    low = Infinity;
    high = -Infinity;
    for (let i = 0; i < values.length; i++) {
      if (values[i] < low) low = values[i];
      if (values[i] > high) high = values[i];
    }
  }
  if (values instanceof Uint8Array && !invert) {
    out.set(values);
    return out;
  }
  const scale = high > low ? 255 / (high - low) : 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.round((values[i] - low) * scale);
    out[i] = invert ? 255 - v : v;
  }
  return out;
}

/**
 * The 8-bit picture of one frame for looking at it (`data` and `layout` as the pixel layer reads a frame:
 * little-endian, native layout, the photometric after decoding). `image`, `dataset` and `source` give the palette
 * for PALETTE COLOR; a PixelDataError without them or without palette data.
 */
export function displayImage(data: Uint8Array, layout: PixelLayout, image?: ImageDescription, dataset?: DataSet, source?: ByteSource): DisplayImage {
  const width = layout.columns, height = layout.rows, pixels = width * height;
  const photometric = layout.photometricInterpretation;
  const { count, at } = sampleIndexer(data, layout);
  const samples = storedSamples(data, layout, count);
  if (photometric === 'MONOCHROME1' || photometric === 'MONOCHROME2') {
    return { width, height, channels: 1, data: toGrey(samples, layout, photometric === 'MONOCHROME1') };
  }
  if (photometric === 'PALETTE COLOR') {
    if (!image || !dataset) throw new PixelDataError('PALETTE COLOR needs the dataset for its palette', '(0028,1201)');
    if (!image.palette) throw new PixelDataError('PALETTE COLOR without palette descriptors', '(0028,1101)');
    const palette = readPalette(dataset, source, image);
    if (!palette) throw new PixelDataError('PALETTE COLOR without palette data (segmented palettes are not supported)', '(0028,1201)');
    const out = new Uint8Array(pixels * 3);
    for (let p = 0; p < pixels; p++) {
      const i = paletteEntry(palette, samples[p]);
      out[p * 3] = palette.red[i];
      out[p * 3 + 1] = palette.green[i];
      out[p * 3 + 2] = palette.blue[i];
    }
    return { width, height, channels: 3, data: out };
  }
  if (photometric === 'RGB') {
    const out = new Uint8Array(pixels * 3);
    const shift = Math.max(0, layout.bitsStored - 8);
    for (let p = 0; p < pixels; p++) {
      for (let s = 0; s < 3; s++) out[p * 3 + s] = Math.max(0, Math.min(255, samples[at(p, s)] / 2 ** shift));
    }
    return { width, height, channels: 3, data: out };
  }
  // The YBR family (FULL, 422 subsampled or not, PARTIAL_420, ICT, RCT as stored): the luma channel as greyscale.
  const luma = new Float32Array(pixels);
  for (let p = 0; p < pixels; p++) luma[p] = samples[at(p, 0)];
  return { width, height, channels: 1, data: toGrey(luma, layout, false) };
}
