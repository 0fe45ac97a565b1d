// Redaction of native Pixel Data: every bit depth, sign, photometric and planar configuration, multi-frame, both
// byte orders; filled inside, identical outside, untouched frames and untouched files kept byte for byte.

import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DataElement } from '../../src/dicom/dataset.js';
import { createDicomFile } from '../../src/dicom/create.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { encodeNumbers } from '../../src/dicom/values.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { readFrame, redactPixelData, type Rectangle } from '../../src/pixels/index.js';
import { swapBytes } from '../../src/pixels/native.js';
import { pixelBytes } from '../helpers/pixels.js';
import { compareSamples, imageDataset, nativeTestFile, needTool, patternFrames, runDecoder, sopClassFor, storedSamples, type TestImage } from './helpers.js';
import { BluePaletteColorLookupTableData, BluePaletteColorLookupTableDescriptor, GreenPaletteColorLookupTableData, GreenPaletteColorLookupTableDescriptor, PixelData, RedPaletteColorLookupTableData, RedPaletteColorLookupTableDescriptor } from '../../src/dicom/tags.generated.js';

const dir = mkdtempSync(join(tmpdir(), 'pixels-native-'));
after(() => { if (!process.env.KEEP_PIXEL_TEST_FILES) rmSync(dir, { recursive: true, force: true }); });

const base = { rows: 30, columns: 44, frames: 3, samplesPerPixel: 1, planar: 0 } as const;
const images: { name: string; image: TestImage; black: number[] }[] = [
  { name: '8-bit MONOCHROME2', image: { ...base, bitsAllocated: 8, bitsStored: 8, signed: false, photometric: 'MONOCHROME2' }, black: [0] },
  { name: '16-bit signed MONOCHROME2', image: { ...base, bitsAllocated: 16, bitsStored: 16, signed: true, photometric: 'MONOCHROME2' }, black: [0x8000] },
  { name: '12-bit in 16 MONOCHROME1', image: { ...base, bitsAllocated: 16, bitsStored: 12, signed: false, photometric: 'MONOCHROME1' }, black: [0xfff] },
  { name: '12-bit signed MONOCHROME1', image: { ...base, bitsAllocated: 16, bitsStored: 12, signed: true, photometric: 'MONOCHROME1' }, black: [0x7ff] },
  { name: '32-bit MONOCHROME2', image: { ...base, bitsAllocated: 32, bitsStored: 32, signed: false, photometric: 'MONOCHROME2' }, black: [0] },
  { name: '1-bit, frames not byte aligned', image: { ...base, rows: 30, columns: 30, bitsAllocated: 1, bitsStored: 1, signed: false, photometric: 'MONOCHROME2' }, black: [0] },
  { name: 'RGB planar 0', image: { ...base, samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8, signed: false, photometric: 'RGB', planar: 0 }, black: [0, 0, 0] },
  { name: 'RGB planar 1', image: { ...base, samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8, signed: false, photometric: 'RGB', planar: 1 }, black: [0, 0, 0] },
  { name: 'YBR_FULL', image: { ...base, samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8, signed: false, photometric: 'YBR_FULL', planar: 0 }, black: [0, 128, 128] },
];

const rects: Rectangle[] = [{ x: 5, y: 4, width: 13, height: 7, frames: [0, 2] }, { x: 40, y: 20, width: 50, height: 50, frames: [2] }];
const inside = (f: number, x: number, y: number): boolean =>
  rects.some((r) => r.frames!.includes(f) && x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);

/** Sample s of pixel (x, y) in a frame's stored samples (planar or interleaved). */
const sampleAt = (samples: Uint32Array, image: TestImage, x: number, y: number, s: number): number =>
  image.planar === 1 ? samples[s * image.rows * image.columns + y * image.columns + x] : samples[(y * image.columns + x) * image.samplesPerPixel + s];

describe('redaction of native Pixel Data', () => {
  for (const { name, image, black } of images) {
    for (const littleEndian of [true, false]) {
      test(`${name}, ${littleEndian ? 'little' : 'big'} endian`, async (t) => {
        const input = join(dir, `${name.replace(/\W+/g, '_')}-${littleEndian}.dcm`);
        const output = input.replace(/\.dcm$/, '.out.dcm');
        writeDicomFile(littleEndian ? nativeTestFile(image) : bigEndianFile(image), input);
        const original = readDicomFile(input);
        const file = readDicomFile(input);
        // Stage through the scratch file for the big endian runs, in memory for the others: both must agree.
        const result = await redactPixelData(file, rects, { inMemoryMaxBytes: littleEndian ? undefined : 0 });
        assert.deepEqual(result.framesRedacted, [0, 2]);
        writeDicomFile(file, output);
        file.close();
        const redacted = readDicomFile(output);
        for (let f = 0; f < image.frames; f++) {
          const before = await readFrame(original, f);
          const afterFrame = await readFrame(redacted, f);
          if (f === 1) {
            assert.ok(Buffer.from(afterFrame.data).equals(Buffer.from(before.data)), 'frame 1 has no rectangle and is unchanged');
            continue;
          }
          const a = storedSamples(before.data, before.layout), b = storedSamples(afterFrame.data, afterFrame.layout);
          let wrong = 0, changed = 0;
          for (let y = 0; y < image.rows; y++) {
            for (let x = 0; x < image.columns; x++) {
              for (let s = 0; s < image.samplesPerPixel; s++) {
                const value = sampleAt(b, image, x, y, s);
                if (inside(f, x, y)) {
                  if (value !== black[s]) wrong++;
                } else if (value !== sampleAt(a, image, x, y, s)) changed++;
              }
            }
          }
          assert.equal(wrong, 0, `frame ${f}: samples inside not black`);
          assert.equal(changed, 0, `frame ${f}: samples outside changed`);
        }
        // GDCM reads the redacted file to the same samples.
        if (!needTool(t, 'gdcmconv')) return;
        const viaGdcm = output.replace(/\.dcm$/, '.gdcm.dcm');
        const ran = await runDecoder('gdcmconv', ['--raw', '--explicit', output, viaGdcm], viaGdcm);
        assert.ok(ran.ok, ran.message);
        const gdcm = readDicomFile(viaGdcm);
        for (let f = 0; f < image.frames; f++) {
          const ours = await readFrame(redacted, f), theirs = await readFrame(gdcm, f);
          const diff = compareSamples(ours.data, ours.layout, theirs.data, theirs.layout);
          assert.equal(diff.differing, 0, `frame ${f}: ${diff.differing} of ${diff.count} samples differ after GDCM (max ${diff.max}; ${JSON.stringify([ours.layout, theirs.layout])})`);
        }
      });
    }
  }

  test('a file with no rectangle on the image keeps its Pixel Data byte for byte', async () => {
    const image = images[1].image;
    const input = join(dir, 'untouched.dcm');
    writeDicomFile(nativeTestFile(image), input);
    const file = readDicomFile(input);
    const result = await redactPixelData(file, [{ x: 500, y: 500, width: 10, height: 10 }, { x: 3, y: 3, width: 0, height: 9 }]);
    assert.equal(result.changed, false);
    writeDicomFile(file, join(dir, 'untouched.out.dcm'));
    assert.ok(pixelBytes(readDicomFile(join(dir, 'untouched.out.dcm')))!.equals(pixelBytes(readDicomFile(input))!));
  });

  test('YBR_FULL_422 fills whole pixel pairs with Y=0 and neutral chroma', async () => {
    const image: TestImage = { rows: 4, columns: 8, frames: 1, samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8, signed: false, photometric: 'YBR_FULL_422' };
    const pixels = Uint8Array.from({ length: 4 * 8 * 2 }, (_, i) => 50 + i);
    const file = nativeTestFile(image, pixels);
    await redactPixelData(file, [{ x: 3, y: 1, width: 2, height: 1 }]);
    const frame = await readFrame(file, 0);
    // Row 1 holds pairs (0,1) (2,3) (4,5) (6,7) at bytes 16..31: x=3..4 touches pairs (2,3) and (4,5).
    const row = Array.from(frame.data.subarray(16, 32));
    const expected = Array.from(pixels.subarray(16, 32));
    expected.splice(4, 8, 0, 0, 128, 128, 0, 0, 128, 128);
    assert.deepEqual(row, expected);
    assert.deepEqual(Array.from(frame.data.subarray(0, 16)), Array.from(pixels.subarray(0, 16)), 'row 0 untouched');
  });

  test('PALETTE COLOR fills with the index whose colour is darkest', async () => {
    const image: TestImage = { rows: 10, columns: 10, frames: 1, samplesPerPixel: 1, bitsAllocated: 8, bitsStored: 8, signed: false, photometric: 'PALETTE COLOR' };
    const ds = imageDataset(image);
    const lut = (f: (i: number) => number): Uint8Array => encodeNumbers(ds, 'US', Array.from({ length: 256 }, (_, i) => f(i)));
    // Bright everywhere except entry 37 (mapped from stored value 37 + firstMapped 0).
    const colour = (i: number) => (i === 37 ? 0x0400 : 0xff00 - i);
    for (const [descTag, dataTag] of [[RedPaletteColorLookupTableDescriptor, RedPaletteColorLookupTableData], [GreenPaletteColorLookupTableDescriptor, GreenPaletteColorLookupTableData], [BluePaletteColorLookupTableDescriptor, BluePaletteColorLookupTableData]]) {
      const d = new DataElement(descTag, 'US');
      d.setValue(encodeNumbers(ds, 'US', [256, 0, 16]), 'US');
      ds.put(d);
      const data = new DataElement(dataTag, 'OW');
      data.setValue(lut(colour), 'OW');
      ds.put(data);
    }
    const px = new DataElement(PixelData, 'OB');
    px.setValue(patternFrames(image), 'OB');
    ds.put(px);
    const file = createDicomFile(ds, '1.2.840.10008.1.2.1', sopClassFor(image), '2.25.1');
    await redactPixelData(file, [{ x: 0, y: 0, width: 2, height: 1 }]);
    const frame = await readFrame(file, 0);
    assert.deepEqual(Array.from(frame.data.subarray(0, 3)), [37, 37, patternFrames(image)[2]]);
  });

  test('a given fill value is used as stored; a rectangle naming a missing frame is an error naming the frame', async () => {
    const image = images[0].image;
    const file = nativeTestFile(image);
    await redactPixelData(file, [{ x: 0, y: 0, width: 1, height: 1, frames: [1] }], { fill: 200 });
    assert.equal((await readFrame(file, 1)).data[0], 200);
    await assert.rejects(redactPixelData(nativeTestFile(image), [{ x: 0, y: 0, width: 1, height: 1, frames: [3] }]), /frame 3/);
  });
});

/** The pattern as an Explicit VR Big Endian file. */
function bigEndianFile(image: TestImage) {
  const ds = imageDataset(image, false);
  const pixels = patternFrames(image);
  const vr = image.bitsAllocated > 8 ? 'OW' : 'OB';
  swapBytes(pixels, vr === 'OW' ? 2 : 1); // OW is swapped in 16-bit words, whatever Bits Allocated is
  const el = new DataElement(PixelData, vr);
  el.setValue(pixels.length % 2 ? Uint8Array.from([...pixels, 0]) : pixels, vr);
  ds.put(el);
  return createDicomFile(ds, '1.2.840.10008.1.2.2', sopClassFor(image), '2.25.1234567890');
}
