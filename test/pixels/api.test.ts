// The pixel layer's smaller promises: image description errors name the tag and no value, overlay bits cleared,
// lossy markers appended, native output of an encapsulated file, 12-bit JPEG refused in its own syntax, and no
// codec loaded by a metadata-only use.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DataElement } from '../../src/dicom/dataset.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { encodeNumbers, getStrings, newStringElement } from '../../src/dicom/values.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { clearBits, describeImage, markLossyCompression, PixelDataError, readFrame, redactPixelData } from '../../src/pixels/index.js';
import { CORPUS_DIR, corpusSkip } from '../helpers/corpus.js';
import { compareSamples, decodeAll, encapsulatedTestFile, imageDataset, nativeTestFile, needTool, runDecoder, storedSamples, type TestImage } from './helpers.js';
import { BitsAllocated, BitsStored, HighBit, LossyImageCompression, LossyImageCompressionMethod, LossyImageCompressionRatio, NumberOfFrames, PixelData, PixelRepresentation, Rows, SamplesPerPixel } from '../../src/dicom/tags.generated.js';

const dir = mkdtempSync(join(tmpdir(), 'pixels-api-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const mono12: TestImage = { rows: 16, columns: 20, frames: 2, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 12, signed: false, photometric: 'MONOCHROME2' };

function setUS(ds: ReturnType<typeof imageDataset>, tag: number, value: number): void {
  const el = new DataElement(tag, 'US');
  el.setValue(encodeNumbers(ds, 'US', [value]), 'US');
  ds.put(el);
}

describe('describeImage', () => {
  const cases: [string, (ds: ReturnType<typeof imageDataset>) => void, string][] = [
    ['Rows missing', (ds) => ds.remove(Rows), '(0028,0010)'],
    ['Bits Stored above Bits Allocated', (ds) => setUS(ds, BitsStored, 17), '(0028,0101)'],
    ['High Bit below Bits Stored', (ds) => setUS(ds, HighBit, 3), '(0028,0102)'],
    ['Bits Allocated 12', (ds) => setUS(ds, BitsAllocated, 12), '(0028,0100)'],
    ['three samples for MONOCHROME2', (ds) => setUS(ds, SamplesPerPixel, 3), '(0028,0002)'],
    ['Number of Frames not a number', (ds) => ds.put(newStringElement(ds, NumberOfFrames, 'IS', 'X7')), '(0028,0008)'],
    ['Pixel Representation 2', (ds) => setUS(ds, PixelRepresentation, 2), '(0028,0103)'],
  ];
  for (const [name, spoil, tag] of cases) {
    test(`${name}: a PixelDataError naming ${tag}, without the value`, () => {
      const ds = imageDataset(mono12);
      spoil(ds);
      assert.throws(() => describeImage(ds), (error: unknown) => {
        assert.ok(error instanceof PixelDataError);
        assert.equal(error.tag, tag);
        assert.doesNotMatch(error.message, /\b(17|X7|12|3)\b(?!,)/, 'no attribute value in the message');
        return true;
      });
    });
  }

  test('a consistent dataset is described', () => {
    const image = describeImage(imageDataset(mono12));
    assert.deepEqual([image.rows, image.columns, image.numberOfFrames, image.bitsStored, image.highBit], [16, 20, 2, 12, 11]);
  });
});

describe('clearBits', () => {
  test('zeroes an overlay in bit 15 of 12-bit data and keeps the pixel values', () => {
    const file = nativeTestFile(mono12);
    const el = file.dataset.get(PixelData)!;
    const before = Buffer.from(el.value!);
    const overlaid = Buffer.from(before);
    for (let i = 0; i < overlaid.length; i += 2) if ((i / 2) % 5 === 0) overlaid.writeUInt16LE(overlaid.readUInt16LE(i) | 0x8000, i);
    el.setValue(overlaid, 'OW');
    const result = clearBits(file, [15]);
    assert.equal(result.changed, true);
    assert.deepEqual(result.framesChanged, [0, 1]);
    assert.ok(Buffer.from(file.dataset.get(PixelData)!.bytes(file.datasetSource)).equals(before));
    assert.equal(clearBits(file, [15]).changed, false, 'nothing left to clear');
  });

  test('refuses a bit that holds pixel value bits', () => {
    assert.throws(() => clearBits(nativeTestFile(mono12), [11]), (e: unknown) => e instanceof PixelDataError && e.tag === '(60xx,0102)');
  });
});

describe('markLossyCompression', () => {
  test('sets 01 and appends ratio and method to earlier ones', () => {
    const ds = imageDataset(mono12);
    ds.put(newStringElement(ds, LossyImageCompressionRatio, 'DS', '8.5'));
    ds.put(newStringElement(ds, LossyImageCompressionMethod, 'CS', 'ISO_10918_1'));
    markLossyCompression(ds, 12.3456, 'ISO_15444_1');
    assert.deepEqual(getStrings(ds, ds.get(LossyImageCompression)!), ['01']);
    assert.deepEqual(getStrings(ds, ds.get(LossyImageCompressionRatio)!), ['8.5', '12.35']);
    assert.deepEqual(getStrings(ds, ds.get(LossyImageCompressionMethod)!), ['ISO_10918_1', 'ISO_15444_1']);
  });
});

describe('redacted syntax native', () => {
  test('a JPEG 2000 colour file becomes Explicit VR Little Endian RGB that GDCM reads to the same pixels', async (t) => {
    const image: TestImage = { rows: 24, columns: 32, frames: 2, samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8, signed: false, photometric: 'RGB' };
    const input = join(dir, 'j2k-rgb.dcm'), output = join(dir, 'j2k-rgb-native.dcm');
    writeDicomFile(await encapsulatedTestFile(image, '1.2.840.10008.1.2.4.90', { offsets: 'basic' }), input);
    const original = await decodeAll(readDicomFile(input));
    const file = readDicomFile(input);
    assert.equal(describeImage(file.dataset, file.datasetSource).photometricInterpretation, 'YBR_RCT');
    const result = await redactPixelData(file, [{ x: 0, y: 0, width: 4, height: 4, frames: [1] }], { redactedSyntax: 'native' });
    assert.equal(result.transferSyntaxUid, '1.2.840.10008.1.2.1');
    writeDicomFile(file, output);
    file.close();
    const native = readDicomFile(output);
    assert.equal(native.transferSyntax.uid, '1.2.840.10008.1.2.1');
    const described = describeImage(native.dataset, native.datasetSource);
    assert.equal(described.photometricInterpretation, 'RGB');
    assert.equal(described.planarConfiguration, 0);
    const frame0 = await readFrame(native, 0), frame1 = await readFrame(native, 1);
    assert.equal(compareSamples(frame0.data, frame0.layout, original.frames[0], original.layout).differing, 0, 'frame 0 as decoded');
    assert.equal(storedSamples(frame1.data, frame1.layout)[0], 0, 'frame 1 filled');
    if (!needTool(t, 'gdcmconv')) return;
    const viaGdcm = join(dir, 'j2k-rgb-native.gdcm.dcm');
    const ran = await runDecoder('gdcmconv', ['--raw', output, viaGdcm], viaGdcm);
    assert.ok(ran.ok, ran.message);
    const theirs = await decodeAll(readDicomFile(viaGdcm));
    assert.equal(compareSamples(theirs.frames[1], theirs.layout, frame1.data, frame1.layout).differing, 0);
  });

  const twelveBit = join(CORPUS_DIR, 'dwv/data/nema-mr1_jply.dcm');
  test('12-bit JPEG extended is written as JPEG-LS lossless (no encoder for its syntax); written native it can be too', { skip: corpusSkip() }, async () => {
    const original = await readFrame(readDicomFile(twelveBit), 0);
    const file = readDicomFile(twelveBit);
    const lossless = await redactPixelData(file, [{ x: 0, y: 0, width: 5, height: 5 }]);
    assert.deepEqual(lossless.transcoded, { from: '1.2.840.10008.1.2.4.51', to: '1.2.840.10008.1.2.4.80' });
    assert.equal(lossless.transferSyntaxUid, '1.2.840.10008.1.2.4.80');
    assert.deepEqual(getStrings(file.dataset, file.dataset.get(LossyImageCompression)!), ['01'], 'the pixels were lossy compressed once');
    const viaLs = join(dir, 'twelve-ls.dcm');
    writeDicomFile(file, viaLs);
    const back = await readFrame(readDicomFile(viaLs), 0);
    const want = storedSamples(original.data, original.layout), got = storedSamples(back.data, back.layout);
    for (let i = 0; i < want.length; i++) {
      const x = i % original.layout.columns, y = Math.floor(i / original.layout.columns);
      assert.equal(got[i], x < 5 && y < 5 ? 0 : want[i], `sample ${i}`);
    }
    const again = readDicomFile(twelveBit);
    const result = await redactPixelData(again, [{ x: 0, y: 0, width: 5, height: 5 }], { redactedSyntax: 'native' });
    assert.equal(result.transferSyntaxUid, '1.2.840.10008.1.2.1');
    assert.deepEqual(getStrings(again.dataset, again.dataset.get(LossyImageCompression)!), ['01'], 'the pixels were lossy compressed once');
    const output = join(dir, 'twelve.dcm');
    writeDicomFile(again, output);
    const frame = await readFrame(readDicomFile(output), 0);
    assert.equal(storedSamples(frame.data, frame.layout)[0], 0);
  });
});

test('a metadata-only use of the pixel layer loads no codec', () => {
  const script = `
    import { readDicomBuffer } from './src/dicom/part10.ts';
    import { encodeDicomFileToBuffer } from './src/dicom/writer.ts';
    import { describeImage } from './src/pixels/index.ts';
    import { nativeTestFile } from './test/pixels/helpers.ts';
    import { createRequire } from 'node:module';
    const file = readDicomBuffer(encodeDicomFileToBuffer(nativeTestFile({ rows: 4, columns: 4, frames: 1, samplesPerPixel: 1, bitsAllocated: 8, bitsStored: 8, signed: false, photometric: 'MONOCHROME2' })));
    describeImage(file.dataset, file.datasetSource);
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => /codec/.test(p));
    console.log(JSON.stringify(loaded));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '..', '..') }).toString();
  assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), []);
});
