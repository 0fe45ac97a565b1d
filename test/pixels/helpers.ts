// Shared by the pixel tests: external decoders (dcmtk, GDCM) as oracles, sample comparison, test image builders.

import { existsSync, statSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { DataElement, DataSet } from '../../src/dicom/dataset.js';
import { createDicomFile } from '../../src/dicom/create.js';
import type { DicomFile } from '../../src/dicom/part10.js';
import { encodeNumbers, newStringElement } from '../../src/dicom/values.js';
import { readFrames, type PixelLayout } from '../../src/pixels/index.js';
import { run } from '../helpers/corpus.js';
import { IN_CI, toolProblem, type ToolName } from '../helpers/tools.js';
import { BitsAllocated, BitsStored, Columns, ExtendedOffsetTable, ExtendedOffsetTableLengths, HighBit, NumberOfFrames, PhotometricInterpretation, PixelData, PixelRepresentation, PlanarConfiguration, Rows, SamplesPerPixel } from '../../src/dicom/tags.generated.js';

/**
 * Whether a test needing `tool` may run: with CI=true a missing or broken tool fails the test; otherwise the test is
 * skipped with the reason printed. The probe is test/helpers/tools.ts's, shared with every other tool test.
 */
export function needTool(t: TestContext, tool: ToolName): boolean {
  const problem = toolProblem(tool);
  if (problem === null) return true;
  if (IN_CI) throw new Error(`${problem} (CI=true: a test that needs it fails rather than skipping)`);
  t.skip(problem);
  return false;
}

/** The external decoder for a transfer syntax: dcmtk's for JPEG, JPEG-LS and RLE, GDCM for the others. */
export function oracleFor(transferSyntaxUid: string): { tool: ToolName; args: (input: string, output: string) => string[] } {
  const dcmtk = (tool: ToolName) => ({ tool, args: (i: string, o: string) => [i, o] });
  if (['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70'].includes(transferSyntaxUid)) return dcmtk('dcmdjpeg');
  if (transferSyntaxUid === '1.2.840.10008.1.2.4.80' || transferSyntaxUid === '1.2.840.10008.1.2.4.81') return dcmtk('dcmdjpls');
  if (transferSyntaxUid === '1.2.840.10008.1.2.5') return dcmtk('dcmdrle');
  return { tool: 'gdcmconv', args: (i, o) => ['--raw', i, o] };
}

/** Runs a decoder; true when it exited 0 and wrote a non-empty file. */
export async function runDecoder(tool: ToolName, args: string[], output: string): Promise<{ ok: boolean; message: string }> {
  const result = await run(tool, args, 120_000);
  const ok = result.code === 0 && existsSync(output) && statSync(output).size > 0;
  return { ok, message: ok ? '' : `${tool} exit ${result.code}: ${result.stderr.trim().split('\n')[0] ?? ''}` };
}

/** Every frame of a file, decoded by our pixel layer. */
export async function decodeAll(file: DicomFile): Promise<{ frames: Uint8Array[]; layout: PixelLayout }> {
  const frames: Uint8Array[] = [];
  let layout: PixelLayout | null = null;
  for await (const frame of readFrames(file)) {
    frames.push(frame.data);
    layout = frame.layout;
  }
  if (!layout) throw new Error('no frames');
  return { frames, layout };
}

/** The stored sample values of a frame (masked to Bits Stored, so sign extension does not matter). */
export function storedSamples(data: Uint8Array, layout: PixelLayout): Uint32Array {
  if (layout.bitsAllocated === 1) {
    const out = new Uint32Array(layout.rows * layout.columns);
    for (let i = 0; i < out.length; i++) out[i] = (data[i >> 3] >> (i & 7)) & 1;
    return out;
  }
  const bytes = layout.bitsAllocated / 8;
  const mask = layout.bitsStored >= 32 ? 0xffffffff : 2 ** layout.bitsStored - 1;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint32Array(Math.floor(data.length / bytes));
  for (let i = 0; i < out.length; i++) {
    const v = bytes === 1 ? data[i] : bytes === 2 ? view.getUint16(i * 2, true) : view.getUint32(i * 4, true);
    out[i] = (v & mask) >>> 0;
  }
  return out;
}

/** Differences between two frames' stored samples: how many differ, the largest and the mean absolute difference. */
export function compareSamples(a: Uint8Array, aLayout: PixelLayout, b: Uint8Array, bLayout: PixelLayout): { count: number; differing: number; max: number; mean: number } {
  const x = storedSamples(a, aLayout), y = storedSamples(b, bLayout);
  if (x.length !== y.length) return { count: x.length, differing: Math.max(x.length, y.length), max: Infinity, mean: Infinity };
  let differing = 0, max = 0, sum = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i] - y[i]);
    if (d) {
      differing++;
      sum += d;
      if (d > max) max = d;
    }
  }
  return { count: x.length, differing, max, mean: sum / Math.max(1, x.length) };
}

/** What a generated test image is. */
export interface TestImage {
  rows: number;
  columns: number;
  frames: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: 1 | 8 | 16 | 32;
  bitsStored: number;
  signed: boolean;
  photometric: string;
  planar?: 0 | 1;
}

/** A stored value for pixel (x, y) of frame f: a gradient with a checker pattern, different per frame and sample. */
export function patternValue(image: TestImage, x: number, y: number, f: number, s: number): number {
  const range = 2 ** image.bitsStored;
  const raw = (x * 7 + y * 3 + f * 17 + s * 29 + (((x >> 3) ^ (y >> 3)) & 1) * (range >> 2)) % range;
  return image.signed ? raw - range / 2 : raw;
}

/** One frame of the pattern on its own, starting on a byte boundary (as an encapsulated frame is). */
export function patternFrame(image: TestImage, frame: number): Uint8Array {
  const pixels = image.rows * image.columns;
  if (image.bitsAllocated !== 1) {
    const size = pixels * image.samplesPerPixel * (image.bitsAllocated / 8);
    return patternFrames(image).slice(frame * size, (frame + 1) * size);
  }
  const out = new Uint8Array(Math.ceil(pixels / 8));
  for (let i = 0; i < pixels; i++) if (onBit(image, i, frame)) out[i >> 3] |= 1 << (i & 7);
  return out;
}

const onBit = (image: TestImage, i: number, f: number): boolean => {
  const x = i % image.columns, y = Math.floor(i / image.columns);
  return ((x >> 2) + (y >> 2) + f) % 2 === 1;
};

/** Native little-endian frames of the pattern (1-bit frames packed one after another without padding). */
export function patternFrames(image: TestImage): Uint8Array {
  const { rows, columns, frames, samplesPerPixel: spp, bitsAllocated } = image;
  const pixels = rows * columns;
  if (bitsAllocated === 1) {
    const out = new Uint8Array(Math.ceil((pixels * frames) / 8));
    for (let f = 0; f < frames; f++) {
      for (let i = 0; i < pixels; i++) if (onBit(image, i, f)) out[(f * pixels + i) >> 3] |= 1 << ((f * pixels + i) & 7);
    }
    return out;
  }
  const bytes = bitsAllocated / 8;
  const out = new Uint8Array(pixels * spp * bytes * frames);
  const view = new DataView(out.buffer);
  for (let f = 0; f < frames; f++) {
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < columns; x++) {
        for (let s = 0; s < spp; s++) {
          const index = image.planar === 1 ? f * pixels * spp + s * pixels + y * columns + x : ((f * pixels + y * columns + x) * spp + s);
          const v = patternValue(image, x, y, f, s);
          if (bytes === 1) out[index] = v & 0xff;
          else if (bytes === 2) view.setUint16(index * 2, v & 0xffff, true);
          else view.setUint32(index * 4, v >>> 0, true);
        }
      }
    }
  }
  return out;
}

function us(ds: DataSet, tag: number, value: number): void {
  const el = new DataElement(tag, 'US');
  el.setValue(encodeNumbers(ds, 'US', [value]), 'US');
  ds.put(el);
}

/**
 * The SOP class of a generated image: the multi-frame Secondary Capture class that fits it (GDCM refuses a
 * multi-frame image under plain Secondary Capture).
 */
export function sopClassFor(image: TestImage): string {
  if (image.frames === 1) return '1.2.840.10008.5.1.4.1.1.7';
  if (image.samplesPerPixel === 3) return '1.2.840.10008.5.1.4.1.1.7.4';
  if (image.bitsAllocated === 1) return '1.2.840.10008.5.1.4.1.1.7.1';
  return image.bitsAllocated === 8 ? '1.2.840.10008.5.1.4.1.1.7.2' : '1.2.840.10008.5.1.4.1.1.7.3';
}

/** A dataset with the Image Pixel module of `image` (no Pixel Data yet). */
export function imageDataset(image: TestImage, littleEndian = true): DataSet {
  const ds = new DataSet({ explicitVR: true, littleEndian });
  ds.put(newStringElement(ds, 0x00080016, 'UI', sopClassFor(image)));
  ds.put(newStringElement(ds, 0x00080018, 'UI', '2.25.1234567890'));
  us(ds, SamplesPerPixel, image.samplesPerPixel);
  ds.put(newStringElement(ds, PhotometricInterpretation, 'CS', image.photometric));
  if (image.samplesPerPixel === 3) us(ds, PlanarConfiguration, image.planar ?? 0);
  if (image.frames > 1) ds.put(newStringElement(ds, NumberOfFrames, 'IS', String(image.frames)));
  us(ds, Rows, image.rows);
  us(ds, Columns, image.columns);
  us(ds, BitsAllocated, image.bitsAllocated);
  us(ds, BitsStored, image.bitsStored);
  us(ds, HighBit, image.bitsStored - 1);
  us(ds, PixelRepresentation, image.signed ? 1 : 0);
  return ds;
}

/** A native Explicit VR Little Endian file of the pattern. */
export function nativeTestFile(image: TestImage, pixels: Uint8Array = patternFrames(image)): DicomFile {
  const ds = imageDataset(image);
  const el = new DataElement(PixelData, image.bitsAllocated > 8 ? 'OW' : 'OB');
  el.setValue(pixels.length % 2 ? Uint8Array.from([...pixels, 0]) : pixels, el.vr);
  ds.put(el);
  return createDicomFile(ds, '1.2.840.10008.1.2.1', sopClassFor(image), '2.25.1234567890');
}

/** The layout of a generated image, as the pixel layer describes it. */
export function layoutOf(image: TestImage): PixelLayout {
  return {
    rows: image.rows, columns: image.columns, samplesPerPixel: image.samplesPerPixel, bitsAllocated: image.bitsAllocated,
    bitsStored: image.bitsStored, highBit: image.bitsStored - 1, pixelRepresentation: image.signed ? 1 : 0,
    photometricInterpretation: image.photometric, planarConfiguration: image.planar ?? 0,
  };
}

export interface EncapsulationOptions {
  /** 'basic': a Basic Offset Table; 'none': empty; 'extended': Extended Offset Table (and empty BOT). */
  offsets: 'basic' | 'none' | 'extended';
  /** Split each frame's codestream into this many fragments. Default 1. */
  fragmentsPerFrame?: number;
}

/** An encapsulated file of the pattern in `transferSyntaxUid`, each frame encoded by our codec for that syntax. */
export async function encapsulatedTestFile(image: TestImage, transferSyntaxUid: string, options: EncapsulationOptions): Promise<DicomFile> {
  const { loadCodec } = await import('../../src/pixels/codecs/index.js');
  const codec = await loadCodec(transferSyntaxUid)!;
  const layout = layoutOf(image);
  const codecLayout = transferSyntaxUid === '1.2.840.10008.1.2.5' || transferSyntaxUid === '1.2.840.10008.1.2.8.1'
    ? layout
    : { ...layout, bitsAllocated: image.bitsStored <= 8 ? 8 : 16 };
  const encoded: Uint8Array[] = [];
  let photometric = image.photometric;
  for (let f = 0; f < image.frames; f++) {
    const result = codec.encode({ data: patternFrame(image, f), layout: codecLayout });
    photometric = result.photometricInterpretation;
    encoded.push(result.data.length % 2 ? Uint8Array.from([...result.data, 0]) : result.data);
  }
  const ds = imageDataset({ ...image, photometric });
  const pieces = options.fragmentsPerFrame ?? 1;
  const fragments: { span: null; value: Uint8Array }[] = [];
  const offsets: number[] = [];
  let position = 0;
  for (const frame of encoded) {
    offsets.push(position);
    const size = Math.ceil(frame.length / pieces / 2) * 2;
    for (let at = 0; at < frame.length; at += size) {
      const piece = frame.subarray(at, Math.min(frame.length, at + size));
      fragments.push({ span: null, value: piece });
      position += 8 + piece.length;
    }
  }
  const table = new Uint8Array(options.offsets === 'basic' ? offsets.length * 4 : 0);
  offsets.forEach((o, i) => options.offsets === 'basic' && new DataView(table.buffer).setUint32(i * 4, o, true));
  if (options.offsets === 'extended') {
    const eot = new DataElement(ExtendedOffsetTable, 'OV');
    const lengths = new DataElement(ExtendedOffsetTableLengths, 'OV');
    const o = new Uint8Array(offsets.length * 8), l = new Uint8Array(offsets.length * 8);
    offsets.forEach((v, i) => new DataView(o.buffer).setBigUint64(i * 8, BigInt(v), true));
    encoded.forEach((e, i) => new DataView(l.buffer).setBigUint64(i * 8, BigInt(e.length), true));
    eot.setValue(o, 'OV');
    lengths.setValue(l, 'OV');
    ds.put(eot);
    ds.put(lengths);
  }
  const pixelData = new DataElement(PixelData, 'OB');
  pixelData.setFragments([{ span: null, value: table }, ...fragments]);
  ds.put(pixelData);
  return createDicomFile(ds, transferSyntaxUid, sopClassFor(image), '2.25.1234567890');
}
