// An 8-bit picture of one frame, as a viewer would show it, for looking at the pixels (text detection): greyscale
// for monochrome and YBR, RGB for RGB and PALETTE COLOR. Nothing is written back; redaction works on the stored
// values.
//
// Monochrome frames of 8 bits or fewer map their stored value range linearly (MONOCHROME1 inverted). Deeper
// frames (12, 16, 32 bits, signed or not) map the frame's own minimum..maximum to 0..255: burned-in text is
// usually the brightest (or darkest) value, so it stays distinct, and the detector stretches a narrow result
// itself. Window Center/Width is not used: a window clips text that sits above it to the same white as bone.
// YBR frames give their luma (Y) as greyscale; RGB deeper than 8 bits is shifted down to 8.

import type { DataSet } from '../dicom/dataset.js';
import type { ByteSource } from '../dicom/source.js';
import { BluePaletteColorLookupTableData, GreenPaletteColorLookupTableData, RedPaletteColorLookupTableData } from '../dicom/tags.generated.js';
import { PixelDataError } from './errors.js';
import { readUint16Values, type ImageDescription, type PixelLayout } from './image.js';

/** 8-bit picture, rows top to bottom; channels 1 (grey) or 3 (RGB interleaved). */
export interface DisplayImage {
  width: number;
  height: number;
  data: Uint8Array;
  channels: 1 | 3;
}

/**
 * The stored sample values of a frame (little-endian, `layout`), masked to Bits Stored and sign-extended. Float32:
 * exact up to 24 bits, half the memory of doubles on a 4096² frame; 32-bit values lose only display precision.
 */
function storedSamples(data: Uint8Array, layout: PixelLayout, count: number): Float32Array | Uint8Array {
  const { bitsAllocated, bitsStored, highBit, pixelRepresentation } = layout;
  if (bitsAllocated === 8 && bitsStored === 8 && pixelRepresentation === 0) return data.subarray(0, count);
  const out = new Float32Array(count);
  const shift = highBit - bitsStored + 1;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < count; i++) {
    let word: number;
    if (bitsAllocated === 1) word = (data[i >> 3] >> (i & 7)) & 1;
    else if (bitsAllocated === 8) word = data[i];
    else if (bitsAllocated === 16) word = view.getUint16(i * 2, true);
    else word = view.getUint32(i * 4, true);
    let value = bitsStored >= 32 ? word >>> shift : (word >>> shift) & (2 ** bitsStored - 1);
    if (pixelRepresentation === 1 && value >= 2 ** (bitsStored - 1)) value -= 2 ** bitsStored;
    out[i] = value;
  }
  return out;
}

/** Linear map of `values` to 0..255: the full stored range for up to 8 bits, else the frame's min..max. */
function toGrey(values: Float32Array | Uint8Array, layout: PixelLayout, invert: boolean): Uint8Array {
  const out = new Uint8Array(values.length);
  let low: number, high: number;
  if (layout.bitsStored <= 8) {
    low = layout.pixelRepresentation === 1 ? -(2 ** (layout.bitsStored - 1)) : 0;
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

/** Sample `s` of pixel `p` for interleaved or planar frames. */
const sampleIndex = (layout: PixelLayout, pixels: number, p: number, s: number): number =>
  layout.planarConfiguration === 1 ? s * pixels + p : p * layout.samplesPerPixel + s;

function paletteLut(dataset: DataSet, source: ByteSource | undefined, image: ImageDescription): { lut: Uint8Array[]; first: number; entries: number } {
  const palette = image.palette;
  if (!palette) throw new PixelDataError('PALETTE COLOR without palette descriptors', '(0028,1101)');
  const lut = [RedPaletteColorLookupTableData, GreenPaletteColorLookupTableData, BluePaletteColorLookupTableData].map((tag, c) => {
    const el = dataset.get(tag);
    const words = el ? readUint16Values(dataset, el, source) : [];
    const bits = [palette.red, palette.green, palette.blue][c].bits;
    return Uint8Array.from(words, (w) => (bits === 16 ? w >> 8 : w & 0xff));
  });
  const entries = Math.min(palette.red.entries, ...lut.map((l) => l.length));
  if (entries === 0) throw new PixelDataError('PALETTE COLOR without palette data (segmented palettes are not supported)', '(0028,1201)');
  return { lut, first: palette.red.firstMapped, entries };
}

/**
 * The 8-bit picture of one frame (`data` and `layout` as the pixel layer reads a frame: little-endian, native
 * layout, the photometric after decoding). `image`, `dataset` and `source` give the palette for PALETTE COLOR.
 */
export function displayImage(data: Uint8Array, layout: PixelLayout, image?: ImageDescription, dataset?: DataSet, source?: ByteSource): DisplayImage {
  const width = layout.columns, height = layout.rows, pixels = width * height;
  const photometric = layout.photometricInterpretation;
  if (photometric === 'MONOCHROME1' || photometric === 'MONOCHROME2') {
    return { width, height, channels: 1, data: toGrey(storedSamples(data, layout, pixels), layout, photometric === 'MONOCHROME1') };
  }
  if (photometric === 'PALETTE COLOR') {
    if (!image || !dataset) throw new PixelDataError('PALETTE COLOR needs the dataset for its palette', '(0028,1201)');
    const { lut, first, entries } = paletteLut(dataset, source, image);
    const indices = storedSamples(data, layout, pixels);
    const out = new Uint8Array(pixels * 3);
    for (let p = 0; p < pixels; p++) {
      const i = Math.max(0, Math.min(entries - 1, indices[p] - first));
      out[p * 3] = lut[0][i];
      out[p * 3 + 1] = lut[1][i];
      out[p * 3 + 2] = lut[2][i];
    }
    return { width, height, channels: 3, data: out };
  }
  if (photometric === 'YBR_FULL_422' || photometric === 'YBR_PARTIAL_422') {
    // Y0 Y1 Cb Cr per pair of pixels: the luma alone.
    const samples = storedSamples(data, layout, Math.ceil(width / 2) * 4 * height);
    const luma = new Float32Array(pixels);
    const pairsPerRow = Math.ceil(width / 2);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) luma[y * width + x] = samples[(y * pairsPerRow + (x >> 1)) * 4 + (x & 1)];
    }
    return { width, height, channels: 1, data: toGrey(luma, layout, false) };
  }
  const samples = storedSamples(data, layout, pixels * 3);
  if (photometric === 'RGB') {
    const out = new Uint8Array(pixels * 3);
    const shift = Math.max(0, layout.bitsStored - 8);
    for (let p = 0; p < pixels; p++) {
      for (let s = 0; s < 3; s++) out[p * 3 + s] = Math.max(0, Math.min(255, samples[sampleIndex(layout, pixels, p, s)] / 2 ** shift));
    }
    return { width, height, channels: 3, data: out };
  }
  // The YBR family (FULL, PARTIAL_420, ICT, RCT as stored): the luma channel as greyscale.
  const luma = new Float32Array(pixels);
  for (let p = 0; p < pixels; p++) luma[p] = samples[sampleIndex(layout, pixels, p, 0)];
  return { width, height, channels: 1, data: toGrey(luma, layout, false) };
}
