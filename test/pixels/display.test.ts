// The 8-bit picture of a frame the text detector is shown: MONOCHROME1 inverted, deep and signed frames mapped by
// their own range, RGB (interleaved and planar, 16-bit shifted), PALETTE COLOR through its palette, YBR as luma;
// and the pieces the review page's thumbnails use (the VOI window, YBR to RGB, the palette). Thumbnails as a whole
// are tested in test/review/thumbnails.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DataElement, DataSet } from '../../src/dicom/dataset.js';
import { encodeNumbers } from '../../src/dicom/values.js';
import { applyVoi, displayImage, readPalette, ybrToRgb, type ImageDescription, type PixelLayout } from '../../src/pixels/index.js';
import { BluePaletteColorLookupTableData, GreenPaletteColorLookupTableData, RedPaletteColorLookupTableData } from '../../src/dicom/tags.generated.js';

const layout = (over: Partial<PixelLayout>): PixelLayout => ({
  rows: 1, columns: 4, samplesPerPixel: 1, bitsAllocated: 8, bitsStored: 8, highBit: 7, pixelRepresentation: 0,
  photometricInterpretation: 'MONOCHROME2', planarConfiguration: 0, ...over,
});
const u16 = (values: number[]): Uint8Array => {
  const out = new Uint8Array(values.length * 2);
  values.forEach((v, i) => new DataView(out.buffer).setUint16(i * 2, v & 0xffff, true));
  return out;
};

test('8-bit MONOCHROME2 is shown as stored, MONOCHROME1 inverted', () => {
  const data = Uint8Array.of(0, 10, 200, 255);
  assert.deepEqual([...displayImage(data, layout({})).data], [0, 10, 200, 255]);
  assert.deepEqual([...displayImage(data, layout({ photometricInterpretation: 'MONOCHROME1' })).data], [255, 245, 55, 0]);
});

test('12-bit in 16, signed 16-bit and 1-bit frames map their range to 0..255', () => {
  // High bits above Bits Stored (an overlay) are masked off.
  const twelve = displayImage(u16([0x1000 | 100, 100, 2100, 4095]), layout({ bitsAllocated: 16, bitsStored: 12, highBit: 11 }));
  assert.deepEqual([...twelve.data], [0, 0, 128, 255]);
  const signed = displayImage(u16([-1000, 0, 1000, 3000]), layout({ bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 1 }));
  assert.deepEqual([...signed.data], [0, 64, 128, 255]);
  const inverted = displayImage(u16([-1000, 0, 1000, 3000]), layout({ bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 1, photometricInterpretation: 'MONOCHROME1' }));
  assert.deepEqual([...inverted.data], [255, 191, 127, 0]);
  assert.deepEqual([...displayImage(Uint8Array.of(0b0101), layout({ bitsAllocated: 1, bitsStored: 1, highBit: 0 })).data], [255, 0, 255, 0]);
  assert.deepEqual([...displayImage(u16([7, 7, 7, 7]), layout({ bitsAllocated: 16, bitsStored: 16, highBit: 15 })).data], [0, 0, 0, 0], 'a flat frame');
});

test('RGB interleaved and planar give interleaved RGB; 16-bit RGB is shifted to 8', () => {
  const rgb = layout({ columns: 2, samplesPerPixel: 3, photometricInterpretation: 'RGB' });
  assert.deepEqual([...displayImage(Uint8Array.of(1, 2, 3, 4, 5, 6), rgb).data], [1, 2, 3, 4, 5, 6]);
  const planar = displayImage(Uint8Array.of(1, 4, 2, 5, 3, 6), { ...rgb, planarConfiguration: 1 });
  assert.deepEqual([...planar.data], [1, 2, 3, 4, 5, 6]);
  assert.equal(planar.channels, 3);
  const deep = displayImage(u16([0xff00, 0x0100, 0x8000, 0, 0, 0xffff]), { ...rgb, bitsAllocated: 16, bitsStored: 16, highBit: 15 });
  assert.deepEqual([...deep.data], [255, 1, 128, 0, 0, 255]);
});

test('YBR frames give their luma; YBR_FULL_422 pairs share chroma', () => {
  const full = displayImage(Uint8Array.of(200, 128, 128, 30, 128, 128), layout({ columns: 2, samplesPerPixel: 3, photometricInterpretation: 'YBR_FULL' }));
  assert.deepEqual([...full.data], [200, 30]);
  assert.equal(full.channels, 1);
  const sub = displayImage(Uint8Array.of(10, 20, 128, 128, 30, 40, 128, 128), layout({ columns: 4, samplesPerPixel: 3, photometricInterpretation: 'YBR_FULL_422' }));
  assert.deepEqual([...sub.data], [10, 20, 30, 40]);
});

test('PALETTE COLOR is shown through its palette (16-bit entries); without palette data it is an error', () => {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  const put = (tag: number, values: number[]): void => {
    const el = new DataElement(tag, 'OW');
    el.setValue(encodeNumbers(ds, 'US', values), 'OW');
    ds.put(el);
  };
  put(RedPaletteColorLookupTableData, [0x0000, 0xffff, 0x8000]);
  put(GreenPaletteColorLookupTableData, [0x0000, 0x0000, 0x8000]);
  put(BluePaletteColorLookupTableData, [0xffff, 0x0000, 0x8000]);
  const descriptor = { entries: 3, firstMapped: 10, bits: 16 };
  const image = { ...layout({ columns: 4, photometricInterpretation: 'PALETTE COLOR' }), numberOfFrames: 1, palette: { red: descriptor, green: descriptor, blue: descriptor } } satisfies ImageDescription;
  const shown = displayImage(Uint8Array.of(10, 11, 12, 99), image, image, ds);
  assert.deepEqual([...shown.data], [0, 0, 255, 255, 0, 0, 128, 128, 128, 128, 128, 128], 'indices past the table take its last entry');
  assert.throws(() => displayImage(Uint8Array.of(10, 11, 12, 13), image, image, new DataSet({ explicitVR: true, littleEndian: true })), /palette data/);
});

test('property: any valid layout and any frame bytes give a picture of the right size, never an exception', () => {
  const photometrics = ['MONOCHROME1', 'MONOCHROME2', 'RGB', 'YBR_FULL', 'YBR_FULL_422', 'YBR_PARTIAL_420', 'YBR_ICT', 'YBR_RCT'] as const;
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom(...photometrics), fc.constantFrom(1, 8, 16, 32),
    fc.integer({ min: 1, max: 32 }), fc.integer({ min: 0, max: 31 }), fc.constantFrom(0, 1) as fc.Arbitrary<0 | 1>, fc.constantFrom(0, 1) as fc.Arbitrary<0 | 1>, fc.integer(),
    (rows, columns, photometric, allocated, storedSeed, shiftSeed, representation, planar, seed) => {
      const mono = photometric.startsWith('MONO');
      const bitsAllocated = mono ? allocated : allocated === 1 ? 8 : allocated;
      const bitsStored = 1 + (storedSeed % bitsAllocated);
      const highBit = bitsStored - 1 + (shiftSeed % (bitsAllocated - bitsStored + 1));
      const l = layout({
        rows, columns, samplesPerPixel: mono ? 1 : 3, bitsAllocated, bitsStored, highBit, pixelRepresentation: representation,
        photometricInterpretation: photometric, planarConfiguration: mono ? 0 : planar,
      });
      const samples = photometric.endsWith('422') ? Math.ceil(columns / 2) * 4 * rows : rows * columns * l.samplesPerPixel;
      const bytes = Math.ceil((samples * bitsAllocated) / 8);
      let x = seed;
      const data = Uint8Array.from({ length: bytes }, () => ((x = (x * 1103515245 + 12345) | 0) >>> 16) & 0xff);
      const shown = displayImage(data, l);
      assert.equal(shown.data.length, rows * columns * shown.channels);
      assert.equal(shown.channels, photometric === 'RGB' ? 3 : 1);
    },
  ), { numRuns: 300 });
});

test('an 8-bit palette stored one entry per byte is read byte by byte, the same for the detector and the review page', () => {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  const put = (tag: number, bytes: number[]): void => {
    const el = new DataElement(tag, 'OW');
    el.setValue(Uint8Array.from(bytes), 'OW');
    ds.put(el);
  };
  // 4 entries of 8 bits in 4 bytes (as fo-dicom's TestPattern_Palette.dcm stores 256 entries in 256 bytes).
  put(RedPaletteColorLookupTableData, [10, 20, 30, 40]);
  put(GreenPaletteColorLookupTableData, [11, 21, 31, 41]);
  put(BluePaletteColorLookupTableData, [12, 22, 32, 42]);
  const descriptor = { entries: 4, firstMapped: 0, bits: 8 };
  const image = { ...layout({ columns: 4, photometricInterpretation: 'PALETTE COLOR' }), numberOfFrames: 1, palette: { red: descriptor, green: descriptor, blue: descriptor } } satisfies ImageDescription;
  const palette = readPalette(ds, undefined, image);
  assert.deepEqual(palette && [...palette.red], [10, 20, 30, 40]);
  const shown = displayImage(Uint8Array.of(0, 1, 2, 3), image, image, ds);
  assert.deepEqual([...shown.data], [10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42]);
  assert.equal(readPalette(new DataSet({ explicitVR: true, littleEndian: true }), undefined, image), null, 'no tables: no palette');
});

test('YBR to RGB: FULL grey stays grey, PARTIAL maps the video range 16..235 to 0..255', () => {
  assert.deepEqual(ybrToRgb(128, 128, 128, false), [128, 128, 128]);
  assert.deepEqual(ybrToRgb(16, 128, 128, true), [0, 0, 0]);
  assert.deepEqual(ybrToRgb(235, 128, 128, true), [255, 255, 255]);
  assert.deepEqual(ybrToRgb(76, 85, 255, false), [254, 0, 0]);
});

test('property: applyVoi stays in 0..255 for any value and window', () => {
  fc.assert(fc.property(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.double({ min: 1, max: 1e5, noNaN: true }), (v, center, width) => {
    const g = applyVoi(v, { kind: 'window', center, width }, 0, 1);
    assert.ok(Number.isInteger(g) && g >= 0 && g <= 255, `grey ${g}`);
  }));
});
