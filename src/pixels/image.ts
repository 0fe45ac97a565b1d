// The image a dataset's Pixel Data holds (size, samples, bits, photometric, frames, palette), read and checked
// from the Image Pixel module, with a PixelDataError naming the tag for any missing or inconsistent value.

import type { DataElement, DataSet } from '../dicom/dataset.js';
import type { ByteSource } from '../dicom/source.js';
import { formatTag, type Tag } from '../dicom/tag.js';
import { getString } from '../dicom/values.js';
import { PixelDataError } from './errors.js';
import { BitsAllocated, BitsStored, BluePaletteColorLookupTableDescriptor, Columns, DoubleFloatPixelData, FloatPixelData, GreenPaletteColorLookupTableDescriptor, HighBit, NumberOfFrames, PixelData, PhotometricInterpretation, PixelRepresentation, PlanarConfiguration, RedPaletteColorLookupTableDescriptor, Rows, SamplesPerPixel } from '../dicom/tags.generated.js';

/** One palette colour lookup table's descriptor (PS3.3 C.7.6.3.1.5). */
export interface PaletteDescriptor {
  /** Number of entries (a stored 0 means 65536). */
  entries: number;
  /** Stored pixel value mapped to the first entry. */
  firstMapped: number;
  /** Bits per entry (8 or 16). */
  bits: number;
}

/** What a frame of pixels looks like: enough to read, fill and encode one frame. */
export interface PixelLayout {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: 0 | 1;
  photometricInterpretation: string;
  /** 0: samples interleaved per pixel; 1: one plane per sample. Always 0 for one sample. */
  planarConfiguration: 0 | 1;
  /** IEEE floats (Float Pixel Data 32 bits, Double Float Pixel Data 64): absent or false for integer samples. */
  float?: boolean;
}

export interface ImageDescription extends PixelLayout {
  numberOfFrames: number;
  /** Red, green and blue descriptors for PALETTE COLOR; null otherwise. */
  palette: { red: PaletteDescriptor; green: PaletteDescriptor; blue: PaletteDescriptor } | null;
}

const MONOCHROME = new Set(['MONOCHROME1', 'MONOCHROME2']);
const ONE_SAMPLE = new Set(['MONOCHROME1', 'MONOCHROME2', 'PALETTE COLOR']);
const THREE_SAMPLES = new Set(['RGB', 'YBR_FULL', 'YBR_FULL_422', 'YBR_PARTIAL_422', 'YBR_PARTIAL_420', 'YBR_ICT', 'YBR_RCT']);

export const isMonochrome = (photometric: string): boolean => MONOCHROME.has(photometric);

/** Unsigned 16-bit values of an element in the dataset's byte order, whatever VR it was read with (US, SS, OW, UN). */
export function readUint16Values(dataset: DataSet, element: DataElement, source?: ByteSource): number[] {
  const bytes = source ? element.bytes(source) : element.value ?? new Uint8Array(0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let at = 0; at + 2 <= bytes.length; at += 2) out.push(view.getUint16(at, dataset.encoding.littleEndian));
  return out;
}

function fail(reason: string, tag: Tag): never {
  throw new PixelDataError(reason, formatTag(tag));
}

function uint16(dataset: DataSet, tag: Tag, source: ByteSource | undefined, name: string, fallback?: number): number {
  const el = dataset.get(tag);
  if (!el || el.valueLength === 0) {
    if (fallback !== undefined) return fallback;
    fail(`${name} is missing or empty`, tag);
  }
  if (el.valueLength !== 2) fail(`${name} should hold one 16-bit value`, tag);
  return readUint16Values(dataset, el, source)[0];
}

function palette(dataset: DataSet, source: ByteSource | undefined, tag: Tag, name: string): PaletteDescriptor {
  const el = dataset.get(tag);
  if (!el) fail(`PALETTE COLOR without its ${name} Palette Color Lookup Table Descriptor`, tag);
  const values = readUint16Values(dataset, el, source);
  if (values.length !== 3) fail(`${name} Palette Color Lookup Table Descriptor should hold 3 values`, tag);
  const [entries, firstMapped, bits] = values;
  if (bits !== 8 && bits !== 16) fail(`${name} Palette Color Lookup Table Descriptor gives neither 8 nor 16 bits per entry`, tag);
  return { entries: entries === 0 ? 65536 : entries, firstMapped, bits };
}

/** The element that holds the pixels: Pixel Data, else Float Pixel Data, else Double Float Pixel Data. */
export function pixelElementOf(dataset: DataSet): DataElement | undefined {
  return dataset.get(PixelData) ?? dataset.get(FloatPixelData) ?? dataset.get(DoubleFloatPixelData);
}

/**
 * Describes the image of `dataset` (whose values are read from `source` when they stayed there). Throws
 * PixelDataError naming the tag when an attribute is missing, malformed or inconsistent with the others.
 */
export function describeImage(dataset: DataSet, source?: ByteSource): ImageDescription {
  const rows = uint16(dataset, Rows, source, 'Rows');
  const columns = uint16(dataset, Columns, source, 'Columns');
  if (rows === 0) fail('Rows is 0', Rows);
  if (columns === 0) fail('Columns is 0', Columns);
  const samplesPerPixel = uint16(dataset, SamplesPerPixel, source, 'Samples per Pixel', 1);
  // Float and Double Float Pixel Data: IEEE samples of 32 or 64 bits, no Bits Stored, High Bit or representation.
  const floatBits = dataset.get(PixelData) ? 0 : dataset.get(FloatPixelData) ? 32 : dataset.get(DoubleFloatPixelData) ? 64 : 0;
  if (floatBits > 0) return describeFloatImage(dataset, source, rows, columns, samplesPerPixel, floatBits);
  const bitsAllocated = uint16(dataset, BitsAllocated, source, 'Bits Allocated');
  if (![1, 8, 16, 32].includes(bitsAllocated)) fail('Bits Allocated is not one of 1, 8, 16 or 32', BitsAllocated);
  const bitsStored = uint16(dataset, BitsStored, source, 'Bits Stored', bitsAllocated);
  if (bitsStored < 1 || bitsStored > bitsAllocated) fail('Bits Stored is 0 or more than Bits Allocated', BitsStored);
  const highBit = uint16(dataset, HighBit, source, 'High Bit', bitsStored - 1);
  if (highBit < bitsStored - 1 || highBit >= bitsAllocated) {
    fail('High Bit is inconsistent with Bits Stored and Bits Allocated', HighBit);
  }
  const representation = uint16(dataset, PixelRepresentation, source, 'Pixel Representation', 0);
  if (representation !== 0 && representation !== 1) fail('Pixel Representation is neither 0 nor 1', PixelRepresentation);

  const photometricElement = dataset.get(PhotometricInterpretation);
  const photometric = photometricElement ? getString(dataset, photometricElement, source).trim().toUpperCase() : '';
  if (!photometric) fail('Photometric Interpretation is missing or empty', PhotometricInterpretation);
  if (ONE_SAMPLE.has(photometric) ? samplesPerPixel !== 1 : THREE_SAMPLES.has(photometric) ? samplesPerPixel !== 3 : true) {
    if (!ONE_SAMPLE.has(photometric) && !THREE_SAMPLES.has(photometric)) {
      fail('Photometric Interpretation is not one the pixel layer supports', PhotometricInterpretation);
    }
    fail('Samples per Pixel does not match the Photometric Interpretation', SamplesPerPixel);
  }
  if (bitsAllocated === 1 && samplesPerPixel !== 1) fail('Bits Allocated 1 with more than one sample per pixel', BitsAllocated);

  let planarConfiguration: 0 | 1 = 0;
  if (samplesPerPixel > 1) {
    const planar = uint16(dataset, PlanarConfiguration, source, 'Planar Configuration', 0);
    if (planar !== 0 && planar !== 1) fail('Planar Configuration is neither 0 nor 1', PlanarConfiguration);
    planarConfiguration = planar;
  }

  const numberOfFrames = framesOf(dataset, source);

  const paletteDescriptors = photometric === 'PALETTE COLOR'
    ? {
        red: palette(dataset, source, RedPaletteColorLookupTableDescriptor, 'Red'),
        green: palette(dataset, source, GreenPaletteColorLookupTableDescriptor, 'Green'),
        blue: palette(dataset, source, BluePaletteColorLookupTableDescriptor, 'Blue'),
      }
    : null;

  return {
    rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, pixelRepresentation: representation as 0 | 1,
    photometricInterpretation: photometric, planarConfiguration, numberOfFrames, palette: paletteDescriptors,
  };
}

function framesOf(dataset: DataSet, source: ByteSource | undefined): number {
  const framesElement = dataset.get(NumberOfFrames);
  if (!framesElement || framesElement.valueLength === 0) return 1;
  const text = getString(dataset, framesElement, source).trim();
  if (text === '') return 1;
  if (!/^[+]?\d+$/.test(text)) fail('Number of Frames is not an integer', NumberOfFrames);
  const frames = parseInt(text, 10);
  if (frames < 1) fail('Number of Frames is less than 1', NumberOfFrames);
  return frames;
}

function describeFloatImage(
  dataset: DataSet, source: ByteSource | undefined, rows: number, columns: number, samplesPerPixel: number, bits: number,
): ImageDescription {
  const bitsAllocated = uint16(dataset, BitsAllocated, source, 'Bits Allocated', bits);
  if (bitsAllocated !== bits) fail(`${bits === 32 ? 'Float' : 'Double Float'} Pixel Data needs Bits Allocated ${bits}`, BitsAllocated);
  if (samplesPerPixel !== 1) fail('Float Pixel Data with more than one sample per pixel', SamplesPerPixel);
  const photometricElement = dataset.get(PhotometricInterpretation);
  const photometric = photometricElement ? getString(dataset, photometricElement, source).trim().toUpperCase() : 'MONOCHROME2';
  if (!isMonochrome(photometric)) fail('Float Pixel Data that is not MONOCHROME1 or MONOCHROME2', PhotometricInterpretation);
  return {
    rows, columns, samplesPerPixel: 1, bitsAllocated, bitsStored: bits, highBit: bits - 1, pixelRepresentation: 0, float: true,
    photometricInterpretation: photometric, planarConfiguration: 0, numberOfFrames: framesOf(dataset, source), palette: null,
  };
}

/** Bits one native frame takes (YBR_FULL_422 stores two chroma samples per two pixels). */
export function frameBits(layout: PixelLayout): number {
  const pixels = layout.rows * layout.columns;
  const samples = layout.photometricInterpretation === 'YBR_FULL_422' || layout.photometricInterpretation === 'YBR_PARTIAL_422'
    ? pixels * 2
    : pixels * layout.samplesPerPixel;
  return samples * layout.bitsAllocated;
}

/** Bytes one native frame takes when it starts on a byte boundary (1-bit frames rounded up). */
export const frameBytes = (layout: PixelLayout): number => Math.ceil(frameBits(layout) / 8);
