// How an output image is shown: the grey-scale pipeline (Modality LUT: Rescale Slope/Intercept; VOI: VOI LUT
// Sequence, else Window Center/Width, else the frame's min/max; MONOCHROME1 inverted) and colour (RGB, YBR, palette),
// read from the dataset (top level, or the enhanced multi-frame functional groups per frame, then shared).

import type { DataElement, DataSet } from '../dicom/dataset.js';
import type { DicomFile } from '../dicom/part10.js';
import type { ByteSource } from '../dicom/source.js';
import type { Tag } from '../dicom/tag.js';
import { getString } from '../dicom/values.js';
import { readUint16Values, type ImageDescription } from '../pixels/image.js';
import {
  BluePaletteColorLookupTableData, FrameVOILUTSequence, GreenPaletteColorLookupTableData, LUTData, LUTDescriptor,
  PerFrameFunctionalGroupsSequence, PixelValueTransformationSequence, RedPaletteColorLookupTableData, RescaleIntercept,
  RescaleSlope, SharedFunctionalGroupsSequence, VOILUTSequence, WindowCenter, WindowWidth,
} from '../dicom/tags.generated.js';

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

/** Palette entries as 8-bit colours; null when the palette is segmented or missing (shown in grey then). */
export interface Palette {
  first: number;
  red: Uint8Array;
  green: Uint8Array;
  blue: Uint8Array;
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

/** LUT entries: 16-bit words, or bytes when an 8-bit table was stored one entry per byte. */
function lutWords(dataset: DataSet, element: DataElement, source: ByteSource, entries: number, bits: number): number[] {
  const bytes = element.bytes(source);
  if (bits <= 8 && bytes.length === entries) return [...bytes];
  return readUint16Values(dataset, element, source).slice(0, entries);
}

/** The grey-scale display of frame `frame`. */
export function greyDisplay(file: DicomFile, image: ImageDescription, frame: number): GreyDisplay {
  const { dataset, datasetSource: source } = file;
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

/** Maps a modality value to 0..255 under `voi` (PS3.3 C.11.2.1.2 for the linear window). */
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

/** The palette of a PALETTE COLOR image as 8-bit colours; null when its tables are missing (segmented palettes). */
export function paletteOf(file: DicomFile, image: ImageDescription): Palette | null {
  if (!image.palette) return null;
  const { dataset, datasetSource: source } = file;
  const channel = (tag: Tag, descriptor: { entries: number; bits: number }): Uint8Array | null => {
    const el = dataset.get(tag);
    if (!el || el.valueLength === 0) return null;
    const words = lutWords(dataset, el, source, descriptor.entries, descriptor.bits);
    if (words.length === 0) return null;
    // 16-bit entries: the high byte. 8-bit entries in words: the low byte, unless it is always 0 (written high).
    const highByte = descriptor.bits > 8 || words.every((w) => (w & 0xff) === 0);
    return Uint8Array.from(words, (w) => (highByte ? w >> 8 : w & 0xff));
  };
  const red = channel(RedPaletteColorLookupTableData, image.palette.red);
  const green = channel(GreenPaletteColorLookupTableData, image.palette.green);
  const blue = channel(BluePaletteColorLookupTableData, image.palette.blue);
  if (!red || !green || !blue) return null;
  return { first: image.palette.red.firstMapped, red, green, blue };
}

const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** One YBR sample triple as RGB (PS3.3 C.7.6.3.1.2: FULL uses the whole range, PARTIAL the video range). */
export function ybrToRgb(y: number, cb: number, cr: number, partial: boolean): [number, number, number] {
  if (partial) {
    const yy = 1.1644 * (y - 16);
    return [clamp8(yy + 1.5960 * (cr - 128)), clamp8(yy - 0.3918 * (cb - 128) - 0.8130 * (cr - 128)), clamp8(yy + 2.0172 * (cb - 128))];
  }
  return [clamp8(y + 1.402 * (cr - 128)), clamp8(y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128)), clamp8(y + 1.772 * (cb - 128))];
}
