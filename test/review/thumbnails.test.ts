// Thumbnails: the display pipeline on images built here (window, rescale, VOI LUT, min/max, MONOCHROME1, RGB, YBR,
// palette, signed, 1-bit, planar, multi-frame, downscaling), then on every compressed corpus file and a sample of the
// native ones: each renders in the pixel layer's syntaxes without error, at most 128 pixels on its longer side.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { createDicomFile } from '../../src/dicom/create.js';
import { DataElement, DataSet } from '../../src/dicom/dataset.js';
import { readDicomFile, type DicomFile } from '../../src/dicom/part10.js';
import { encodeNumbers, newItem, newSequenceElement, newStringElement } from '../../src/dicom/values.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { describeImage } from '../../src/pixels/index.js';
import { loadCodec } from '../../src/pixels/codecs/index.js';
import { encodePng } from '../../src/review/png.js';
import { framesToShow, renderThumbnails, thumbnailSize } from '../../src/review/thumbnails.js';
import { corpusEntries, corpusPath, corpusSkip } from '../helpers/corpus.js';
import {
  BitsAllocated, BitsStored, BluePaletteColorLookupTableData, BluePaletteColorLookupTableDescriptor, Columns,
  GreenPaletteColorLookupTableData, GreenPaletteColorLookupTableDescriptor, HighBit, LUTData, LUTDescriptor, NumberOfFrames,
  PerFrameFunctionalGroupsSequence, PhotometricInterpretation, PixelData, SharedFunctionalGroupsSequence, FrameVOILUTSequence, PixelRepresentation, PlanarConfiguration, RedPaletteColorLookupTableData,
  RedPaletteColorLookupTableDescriptor, RescaleIntercept, RescaleSlope, Rows, SamplesPerPixel, VOILUTSequence, WindowCenter, WindowWidth,
} from '../../src/dicom/tags.generated.js';

const dir = mkdtempSync(join(tmpdir(), 'dicomanon-thumbnails-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Spec {
  photometric: string;
  rows: number;
  columns: number;
  bits?: number;
  stored?: number;
  signed?: boolean;
  frames?: number;
  planar?: 0 | 1;
  pixels: number[];
  extra?: (ds: DataSet) => void;
}

const us = (ds: DataSet, tag: number, values: number[], vr = 'US'): void => {
  const el = new DataElement(tag, vr);
  el.setValue(encodeNumbers(ds, vr === 'OW' ? 'US' : vr, values), vr);
  ds.put(el);
};

let serial = 0;
/** Writes the image and reads it back, as an output would be read. */
function image(spec: Spec): DicomFile {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  const bits = spec.bits ?? 8;
  const samples = spec.photometric === 'MONOCHROME1' || spec.photometric === 'MONOCHROME2' || spec.photometric === 'PALETTE COLOR' ? 1 : 3;
  us(ds, SamplesPerPixel, [samples]);
  ds.put(newStringElement(ds, PhotometricInterpretation, 'CS', spec.photometric));
  if (samples === 3) us(ds, PlanarConfiguration, [spec.planar ?? 0]);
  if (spec.frames) ds.put(newStringElement(ds, NumberOfFrames, 'IS', String(spec.frames)));
  us(ds, Rows, [spec.rows]);
  us(ds, Columns, [spec.columns]);
  us(ds, BitsAllocated, [bits]);
  us(ds, BitsStored, [spec.stored ?? bits]);
  us(ds, HighBit, [(spec.stored ?? bits) - 1]);
  us(ds, PixelRepresentation, [spec.signed ? 1 : 0]);
  spec.extra?.(ds);
  const px = new DataElement(PixelData, bits > 8 ? 'OW' : 'OB');
  let bytes: Uint8Array;
  if (bits === 1) {
    bytes = new Uint8Array(Math.ceil(spec.pixels.length / 8) + (Math.ceil(spec.pixels.length / 8) % 2));
    spec.pixels.forEach((v, i) => { if (v) bytes[i >> 3] |= 1 << (i & 7); });
  } else if (bits === 16) {
    bytes = new Uint8Array(spec.pixels.length * 2);
    spec.pixels.forEach((v, i) => { bytes[2 * i] = v & 0xff; bytes[2 * i + 1] = (v >> 8) & 0xff; });
  } else bytes = Uint8Array.from(spec.pixels);
  px.setValue(bytes.length % 2 ? Uint8Array.from([...bytes, 0]) : bytes, px.vr);
  ds.put(px);
  const path = join(dir, `image-${serial++}.dcm`);
  writeDicomFile(createDicomFile(ds, '1.2.840.10008.1.2.1', '1.2.840.10008.5.1.4.1.1.7', `1.2.3.${serial}`), path);
  return readDicomFile(path);
}

/** RGB pixels of a PNG we wrote (filter 0 on every row). */
function pngPixels(uri: string): { width: number; height: number; rgb: number[][] } {
  const png = Buffer.from(uri.replace('data:image/png;base64,', ''), 'base64');
  const width = png.readUInt32BE(16), height = png.readUInt32BE(20);
  const at = png.indexOf('IDAT');
  const raw = inflateSync(png.subarray(at + 4, at + 4 + png.readUInt32BE(at - 4)));
  const rgb: number[][] = [];
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (1 + width * 3)], 0, 'filter 0');
    for (let x = 0; x < width; x++) rgb.push([...raw.subarray(y * (1 + width * 3) + 1 + x * 3, y * (1 + width * 3) + 4 + x * 3)]);
  }
  return { width, height, rgb };
}

async function render(spec: Spec): Promise<number[][][]> {
  const file = image(spec);
  try {
    return (await renderThumbnails(file)).thumbnails.map((t) => pngPixels(t.src).rgb);
  } finally {
    file.close();
  }
}
const grey = (frame: number[][]): number[] => frame.map(([r, g, b]) => (assert.ok(r === g && g === b, 'grey'), r));

test('grey: Window Center/Width after Rescale Slope/Intercept (PS3.3 C.11.2.1.2), MONOCHROME1 inverted, min/max without a window', async () => {
  const pixels = [0, 50, 100, 150, 200, 250];
  const windowed = (ds: DataSet): void => {
    ds.put(newStringElement(ds, RescaleSlope, 'DS', '2'));
    ds.put(newStringElement(ds, RescaleIntercept, 'DS', '-100'));
    ds.put(newStringElement(ds, WindowCenter, 'DS', '100'));
    ds.put(newStringElement(ds, WindowWidth, 'DS', '201'));
  };
  // Modality values -100, 0, 100, 200, 300, 400; window 0 … 200.
  assert.deepEqual(grey((await render({ photometric: 'MONOCHROME2', rows: 1, columns: 6, bits: 16, stored: 12, pixels, extra: windowed }))[0]), [0, 1, 128, 255, 255, 255]);
  assert.deepEqual(grey((await render({ photometric: 'MONOCHROME1', rows: 1, columns: 6, bits: 16, stored: 12, pixels, extra: windowed }))[0]), [255, 254, 127, 0, 0, 0]);
  assert.deepEqual(grey((await render({ photometric: 'MONOCHROME2', rows: 2, columns: 3, pixels }))[0]), [0, 51, 102, 153, 204, 255]);
  // Signed 16-bit, min/max.
  assert.deepEqual(grey((await render({ photometric: 'MONOCHROME2', rows: 1, columns: 3, bits: 16, signed: true, pixels: [0x10000 - 1000, 0, 1000] }))[0]), [0, 128, 255]);
  // 1 bit.
  assert.deepEqual(grey((await render({ photometric: 'MONOCHROME2', rows: 2, columns: 4, bits: 1, pixels: [1, 0, 0, 1, 0, 1, 1, 0] }))[0]), [255, 0, 0, 255, 0, 255, 255, 0]);
});

test('grey: a VOI LUT Sequence wins over the window', async () => {
  const lut = (ds: DataSet): void => {
    ds.put(newStringElement(ds, WindowCenter, 'DS', '1000'));
    ds.put(newStringElement(ds, WindowWidth, 'DS', '10'));
    const seq = newSequenceElement(VOILUTSequence);
    ds.put(seq);
    const item = newItem(ds, seq);
    us(item, LUTDescriptor, [4, 10, 16]);
    us(item, LUTData, [0, 4095, 0, 2048], 'OW');
    seq.setItems([item]);
  };
  // Values 9 (below the table), 10, 11, 12, 13, 99 (above): entries 0, 0, 4095, 0, 2048, 2048.
  assert.deepEqual(grey((await render({ photometric: 'MONOCHROME2', rows: 1, columns: 6, pixels: [9, 10, 11, 12, 13, 99], extra: lut }))[0]), [0, 0, 255, 0, 128, 128]);
});

test('enhanced multi-frame: each frame windowed by its Frame VOI LUT functional group, else the shared one', async () => {
  const groups = (ds: DataSet): void => {
    const macro = (parent: DataSet, center: string, width: string): DataSet => {
      const seq = newSequenceElement(FrameVOILUTSequence);
      parent.put(seq);
      const item = newItem(parent, seq);
      item.put(newStringElement(item, WindowCenter, 'DS', center));
      item.put(newStringElement(item, WindowWidth, 'DS', width));
      seq.setItems([item]);
      return parent;
    };
    const shared = newSequenceElement(SharedFunctionalGroupsSequence);
    ds.put(shared);
    shared.setItems([macro(newItem(ds, shared), '100', '2')]);
    const perFrame = newSequenceElement(PerFrameFunctionalGroupsSequence);
    ds.put(perFrame);
    // Frame 0 has its own window (0 … 200); frames 1 and 2 have none and use the shared one (99 … 101).
    perFrame.setItems([macro(newItem(ds, perFrame), '100', '201'), newItem(ds, perFrame), newItem(ds, perFrame)]);
  };
  const frames = await render({ photometric: 'MONOCHROME2', rows: 1, columns: 2, frames: 3, pixels: [50, 150, 50, 150, 50, 150], extra: groups });
  assert.deepEqual(frames.map(grey), [[64, 192], [0, 255], [0, 255]]);
});

test('colour: RGB interleaved and planar, YBR_FULL, palette', async () => {
  const red = [255, 0, 0], green = [0, 255, 0];
  assert.deepEqual((await render({ photometric: 'RGB', rows: 1, columns: 2, pixels: [...red, ...green] }))[0], [red, green]);
  assert.deepEqual((await render({ photometric: 'RGB', rows: 1, columns: 2, planar: 1, pixels: [255, 0, 0, 255, 0, 0] }))[0], [red, green]);
  const ybr = (await render({ photometric: 'YBR_FULL', rows: 1, columns: 1, pixels: [76, 85, 255] }))[0][0];
  assert.ok(ybr[0] >= 253 && ybr[1] <= 2 && ybr[2] <= 2, `YBR (76, 85, 255) is red: ${ybr}`);
  const palette = (ds: DataSet): void => {
    for (const [d, t, v] of [[RedPaletteColorLookupTableDescriptor, RedPaletteColorLookupTableData, [0xff00, 0, 0]], [GreenPaletteColorLookupTableDescriptor, GreenPaletteColorLookupTableData, [0, 0xff00, 0]], [BluePaletteColorLookupTableDescriptor, BluePaletteColorLookupTableData, [0, 0, 0xff00]]] as const) {
      us(ds, d, [3, 5, 16]);
      us(ds, t, [...v], 'OW');
    }
  };
  assert.deepEqual((await render({ photometric: 'PALETTE COLOR', rows: 1, columns: 3, pixels: [5, 6, 7], extra: palette }))[0], [red, green, [0, 0, 255]]);
});

test('multi-frame: first, middle and last frame; large images shrink to 128 on the longer side (box average)', async () => {
  assert.deepEqual(framesToShow(1), [0]);
  assert.deepEqual(framesToShow(2), [0, 1]);
  assert.deepEqual(framesToShow(10), [0, 4, 9]);
  const frames = await render({ photometric: 'MONOCHROME2', rows: 1, columns: 2, frames: 5, pixels: [0, 10, 0, 20, 0, 30, 0, 40, 0, 50] });
  assert.equal(frames.length, 3);
  const file = image({ photometric: 'MONOCHROME2', rows: 1, columns: 2, frames: 5, pixels: [0, 1, 0, 2, 0, 3, 0, 4, 0, 5] });
  assert.deepEqual((await renderThumbnails(file)).thumbnails.map((t) => t.frame), [0, 2, 4]);
  file.close();
  // 256 × 512, left half dark, right half bright: 64 × 128 with the edge kept.
  const big = Array.from({ length: 256 * 512 }, (_, i) => (i % 256 < 128 ? 10 : 200));
  const shrunk = image({ photometric: 'MONOCHROME2', rows: 512, columns: 256, pixels: big });
  const t = (await renderThumbnails(shrunk)).thumbnails[0];
  shrunk.close();
  assert.deepEqual([t.width, t.height], [64, 128]);
  const px = grey(pngPixels(t.src).rgb);
  assert.deepEqual([px[0], px[31], px[32], px[63]], [0, 0, 255, 255]);
});

test('property: thumbnail sizes keep the aspect ratio, never upscale, never exceed the size', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 16, max: 256 }), (rows, columns, size) => {
    const { width, height } = thumbnailSize(rows, columns, size);
    assert.ok(width >= 1 && height >= 1 && width <= Math.max(size, 1) && height <= Math.max(size, 1), 'bounded');
    assert.ok(width <= columns && height <= rows, 'never upscaled');
    if (Math.max(rows, columns) > size) assert.equal(Math.max(width, height), size);
  }));
  assert.throws(() => encodePng(0, 1, new Uint8Array(0)), RangeError);
});

test('corpus: every decodable image renders its first, middle and last frame', { skip: corpusSkip() }, async () => {
  const entries = corpusEntries();
  const compressed = entries.filter((e) => e.encap || e.ts.startsWith('HTJ2K') || e.ts === 'Deflated Image Frame Compression');
  // And the first few native files of each source folder.
  const perFolder = new Map<string, number>();
  const native = entries.filter((e) => !compressed.includes(e) && !e.path.startsWith('malformed/')).filter((e) => {
    const folder = e.path.split('/')[0];
    perFolder.set(folder, (perFolder.get(folder) ?? 0) + 1);
    return perFolder.get(folder)! <= 4;
  });
  let rendered = 0;
  const problems: string[] = [];
  for (const entry of [...compressed, ...native]) {
    let file: DicomFile;
    try {
      file = readDicomFile(corpusPath(entry));
    } catch {
      continue; // unreadable files are the reader's tests' business
    }
    try {
      let image;
      try {
        image = describeImage(file.dataset, file.datasetSource);
      } catch {
        continue; // no image, or one the pixel layer refuses (its own tests say why)
      }
      if (file.transferSyntax.encapsulated && loadCodec(file.transferSyntax.uid) === null) continue;
      try {
        const set = await renderThumbnails(file);
        assert.deepEqual(set.thumbnails.map((t) => t.frame), framesToShow(image.numberOfFrames), entry.path);
        for (const t of set.thumbnails) {
          const { width, height } = pngPixels(t.src);
          assert.ok(Math.max(width, height) <= 128 && width === t.width && height === t.height, `${entry.path}: ${width}×${height}`);
        }
        rendered++;
      } catch (error) {
        // A frame the pixel layer itself cannot decode (it says so for some broken corpus files) is not a review bug.
        const message = (error as Error).message;
        if (!/cannot decode|not supported|codestream|fragment|frame \d+/i.test(message)) problems.push(`${entry.path}: ${message}`);
      }
    } finally {
      file.close();
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(rendered >= 100, `rendered ${rendered} corpus images`);
});
