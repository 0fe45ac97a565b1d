// The lossless Explicit VR Little Endian copy (src/pixels/explicit-little-endian-copy.ts) of generated images in every
// lossless encapsulated syntax (encoded by our own codecs), and in Explicit VR Big Endian (written by our writer): the
// copy's native frames hold exactly the samples the
// original decodes to, with the attributes of a native image; dcmtk/GDCM decode the originals to the same samples and
// dcmdump reads the copies. Lossy syntaxes and lossy codestreams get a reason naming the syntax; a corrupt frame gets
// a reason naming the frame and leaves no partial copy.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { DataSet } from '../../src/dicom/dataset.js';
import { readDicomBuffer, type DicomFile } from '../../src/dicom/part10.js';
import { BufferSource } from '../../src/dicom/source.js';
import { EXPLICIT_VR_LITTLE_ENDIAN, transferSyntaxOf } from '../../src/dicom/transfer-syntax.js';
import { getNumbers, getString, newItem, newNumberElement, newSequenceElement } from '../../src/dicom/values.js';
import { DataElement } from '../../src/dicom/dataset.js';
import { createDicomFile, createFileMeta } from '../../src/dicom/create.js';
import { swapBytes } from '../../src/dicom/byte-order.js';
import { encodeDicomFileToBuffer } from '../../src/dicom/writer.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { explicitLittleEndianCopy } from '../../src/pixels/explicit-little-endian-copy.js';
import { BitsAllocated, Rows, ExtendedOffsetTable, HighBit, PhotometricInterpretation, PixelData, PlanarConfiguration } from '../../src/dicom/tags.generated.js';
import { compareSamples, decodeAll, encapsulatedTestFile, imageDataset, needTool, oracleFor, patternFrames, runDecoder, sopClassFor, storedSamples, type EncapsulationOptions, type TestImage } from './helpers.js';
import { run } from '../helpers/corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'explicit-le-copy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LOSSLESS = {
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless', '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1', '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.5': 'RLE Lossless', '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless', '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.202': 'HTJ2K Lossless RPCL',
} as const;

/** A file as a peer would read it: written to bytes and read back. */
async function encapsulated(image: TestImage, ts: string, offsets: EncapsulationOptions = { offsets: 'basic' }): Promise<Buffer> {
  return encodeDicomFileToBuffer(await encapsulatedTestFile(image, ts, offsets));
}

/** A Part 10 file of copied dataset bytes, with a new Explicit VR Little Endian file meta. */
function part10(dataset: Uint8Array): Buffer {
  const empty = new BufferSource(new Uint8Array(0));
  const meta = encodeDicomFileToBuffer({
    name: '<meta>', hadPreamble: true, meta: createFileMeta('1.2.840.10008.5.1.4.1.1.7', '2.25.1234567890', EXPLICIT_VR_LITTLE_ENDIAN),
    dataset: new DataSet({ explicitVR: true, littleEndian: true }), transferSyntax: transferSyntaxOf(EXPLICIT_VR_LITTLE_ENDIAN), source: empty, datasetSource: empty, close: () => {},
  });
  return Buffer.concat([meta, dataset]);
}

/** The copy of `bytes`, read back; fails the test with the reason when there is none. */
async function copyOf(bytes: Buffer, options: { inMemoryMaxBytes?: number } = {}): Promise<DicomFile> {
  const copy = await explicitLittleEndianCopy(readDicomBuffer(bytes, 'original'), { ...options, scratchDirectory: dir });
  assert.ok(copy instanceof Uint8Array, `no copy: ${(copy as { reason: string }).reason}`);
  return readDicomBuffer(part10(copy), 'copy');
}

/** The copy decodes to the original's samples, frame by frame, natively, with the attributes a native image needs. */
async function assertSameSamples(original: DicomFile, copy: DicomFile, image: TestImage): Promise<void> {
  const before = await decodeAll(original);
  const after = await decodeAll(copy);
  assert.equal(after.frames.length, image.frames);
  const pixelData = copy.dataset.get(PixelData)!;
  assert.equal(pixelData.fragments, null, 'native Pixel Data');
  assert.equal(pixelData.vr, image.bitsAllocated > 8 ? 'OW' : 'OB');
  assert.equal(pixelData.valueLength % 2, 0);
  assert.equal(after.layout.bitsAllocated, image.bitsAllocated, 'Bits Allocated is kept');
  assert.equal(after.layout.photometricInterpretation, before.layout.photometricInterpretation);
  const photometric = getString(copy.dataset, copy.dataset.get(PhotometricInterpretation)!).trim();
  assert.notEqual(photometric, 'YBR_RCT', 'a reversible colour transform is undone: RGB');
  if (image.samplesPerPixel === 3) assert.deepEqual(getNumbers(copy.dataset, copy.dataset.get(PlanarConfiguration)!), [0]);
  assert.deepEqual(getNumbers(copy.dataset, copy.dataset.get(HighBit)!), [image.bitsStored - 1]);
  assert.equal(copy.dataset.get(ExtendedOffsetTable), undefined);
  for (let f = 0; f < image.frames; f++) {
    const diff = compareSamples(before.frames[f], before.layout, after.frames[f], after.layout);
    assert.equal(diff.differing, 0, `frame ${f}: ${diff.differing} of ${diff.count} samples differ`);
  }
}

const imageArbitrary = fc.record({
  rows: fc.integer({ min: 1, max: 20 }),
  columns: fc.integer({ min: 1, max: 20 }),
  frames: fc.integer({ min: 1, max: 3 }),
  samplesPerPixel: fc.constantFrom(1 as const, 3 as const),
  bitsAllocated: fc.constantFrom(8 as const, 16 as const),
  storedBelow: fc.integer({ min: 0, max: 4 }),
  signed: fc.boolean(),
}).map(({ storedBelow, ...i }): TestImage => {
  // Colour is unsigned 8-bit (what the colour codecs take); grey may be signed, any Bits Stored.
  const colour = i.samplesPerPixel === 3;
  const bitsAllocated = colour ? 8 : i.bitsAllocated;
  return {
    ...i, bitsAllocated, bitsStored: colour ? 8 : bitsAllocated - storedBelow, signed: colour ? false : i.signed,
    photometric: colour ? 'RGB' : 'MONOCHROME2',
  };
});

describe('the Explicit VR Little Endian copy of lossless encapsulated pixel data', () => {
  for (const [ts, name] of Object.entries(LOSSLESS)) {
    test(`${name}: generated images (rows, columns, 8/16 bits, signed, 1/3 samples, frames) copy to the same samples`, async () => {
      await fc.assert(fc.asyncProperty(imageArbitrary, fc.boolean(), async (image, scratch) => {
        const bytes = await encapsulated(image, ts, { offsets: image.frames > 1 && scratch ? 'none' : 'basic' });
        // Half the runs stage the decoded frames in a scratch file, as a large image would.
        const copy = await copyOf(bytes, scratch ? { inMemoryMaxBytes: 0 } : {});
        assert.equal(copy.transferSyntax.uid, EXPLICIT_VR_LITTLE_ENDIAN);
        await assertSameSamples(readDicomBuffer(bytes, 'original'), copy, image);
      }), { numRuns: 12, seed: 27 });
    });
  }

  test('Explicit VR Big Endian files written by our writer (any image, a sequence of binary values): the same samples and values', async () => {
    await fc.assert(fc.asyncProperty(imageArbitrary, fc.boolean(), async (image, undefinedLengths) => {
      const ds = imageDataset(image, false);
      // A sequence whose item holds US, FD, SL and AT values, so the swap is checked below the top level too.
      const sequence = newSequenceElement(0x00081140);
      sequence.undefinedLength = undefinedLengths;
      const item = newItem(ds, sequence);
      item.undefinedLength = undefinedLengths;
      item.put(newNumberElement(item, 0x00181310, 'US', [0, 256, 258, 0]));
      item.put(newNumberElement(item, 0x00189087, 'FD', [1000.5]));
      item.put(newNumberElement(item, 0x00186020, 'SL', [-123456]));
      const at = new DataElement(0x00209165, 'AT');
      at.setValue(Uint8Array.of(0x00, 0x28, 0x00, 0x10), 'AT'); // (0028,0010) in big endian
      item.put(at);
      sequence.setItems([item]);
      ds.put(sequence);
      const pixels = patternFrames(image);
      if (image.bitsAllocated > 8) swapBytes(pixels, 2);
      const pixelData = new DataElement(PixelData, image.bitsAllocated > 8 ? 'OW' : 'OB');
      pixelData.setValue(pixels.length % 2 ? Uint8Array.from([...pixels, 0]) : pixels, pixelData.vr);
      ds.put(pixelData);
      const bytes = encodeDicomFileToBuffer(createDicomFile(ds, '1.2.840.10008.1.2.2', sopClassFor(image), '2.25.1234567890'));
      const original = readDicomBuffer(bytes, 'big endian');
      assert.equal(original.transferSyntax.uid, '1.2.840.10008.1.2.2');
      const copy = await copyOf(bytes);
      await assertSameSamples(original, copy, image);
      const copied = copy.dataset.get(0x00081140)!.items![0];
      assert.deepEqual(getNumbers(copied, copied.get(0x00181310)!), [0, 256, 258, 0]);
      assert.deepEqual(getNumbers(copied, copied.get(0x00189087)!), [1000.5]);
      assert.deepEqual(getNumbers(copied, copied.get(0x00186020)!), [-123456]);
      assert.deepEqual([...copied.get(0x00209165)!.value!], [0x28, 0x00, 0x10, 0x00], 'AT: group and element each little endian');
      assert.deepEqual(getNumbers(copy.dataset, copy.dataset.get(Rows)!), [image.rows]);
    }), { numRuns: 25, seed: 27 });
  });

  test('a 16-bit allocated image of 8-bit samples keeps Bits Allocated 16 (samples widened, sign kept)', async () => {
    const image: TestImage = { rows: 9, columns: 7, frames: 2, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 7, signed: true, photometric: 'MONOCHROME2' };
    // Encoded from 8-bit frames, then said to be allocated 16 bits (as some modalities write JPEG-LS).
    const file = await encapsulatedTestFile({ ...image, bitsAllocated: 8 }, '1.2.840.10008.1.2.4.80', { offsets: 'basic' });
    file.dataset.put(newNumberElement(file.dataset, BitsAllocated, 'US', [16]));
    const bytes = encodeDicomFileToBuffer(file);
    await assertSameSamples(readDicomBuffer(bytes, 'original'), await copyOf(bytes), image);
  });

  test('1-bit frames that end inside a byte are packed end to end, as native 1-bit Pixel Data is', async () => {
    const image: TestImage = { rows: 30, columns: 30, frames: 3, samplesPerPixel: 1, bitsAllocated: 1, bitsStored: 1, signed: false, photometric: 'MONOCHROME2' };
    for (const ts of ['1.2.840.10008.1.2.5', '1.2.840.10008.1.2.8.1']) {
      const bytes = await encapsulated(image, ts);
      const copy = await copyOf(bytes);
      assert.equal(copy.dataset.get(PixelData)!.valueLength, 338, 'three 900-bit frames in 338 bytes (not 3 × 113)');
      await assertSameSamples(readDicomBuffer(bytes, 'original'), copy, image);
    }
  });

  test('JPEG 2000 (may be lossy) and HTJ2K: a reversibly coded stream is copied; a lossy one gets a reason naming the syntax', async () => {
    const image: TestImage = { rows: 16, columns: 24, frames: 2, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 12, signed: false, photometric: 'MONOCHROME2' };
    for (const [lossless, mayBeLossy, name] of [['1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91', 'JPEG 2000'], ['1.2.840.10008.1.2.4.201', '1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000']]) {
      // A lossless codestream under the "may be lossy" syntax: the stream says reversible, so it is copied.
      const relabelled = readDicomBuffer(await encapsulated(image, lossless), 'relabelled');
      const original = readDicomBuffer(await encapsulated(image, lossless), 'relabelled');
      relabelled.transferSyntax = transferSyntaxOf(mayBeLossy);
      const copy = await explicitLittleEndianCopy(relabelled);
      assert.ok(copy instanceof Uint8Array, `${name}: ${(copy as { reason: string }).reason}`);
      await assertSameSamples(original, readDicomBuffer(part10(copy), 'copy'), image);
      // Our lossy encoder's stream (irreversible or quantized): refused, the syntax named.
      const lossy = await explicitLittleEndianCopy(readDicomBuffer(await encapsulated(image, mayBeLossy), 'lossy'));
      assert.ok(!(lossy instanceof Uint8Array));
      assert.match(lossy.reason, new RegExp(`${name}.*not coded reversibly`));
    }
  });

  test('lossy syntaxes are never decoded: the reason names the syntax', async () => {
    const mono8: TestImage = { rows: 48, columns: 64, frames: 1, samplesPerPixel: 1, bitsAllocated: 8, bitsStored: 8, signed: false, photometric: 'MONOCHROME2' };
    for (const [ts, name] of [['1.2.840.10008.1.2.4.50', 'JPEG Baseline'], ['1.2.840.10008.1.2.4.51', 'JPEG Extended'], ['1.2.840.10008.1.2.4.81', 'JPEG-LS Lossy']]) {
      const r = await explicitLittleEndianCopy(readDicomBuffer(await encapsulated(mono8, ts), 'lossy'));
      assert.ok(!(r instanceof Uint8Array));
      assert.match(r.reason, new RegExp(`${name}.*lossy syntax`));
    }
    // Video: no decoder at all.
    const video = readDicomBuffer(await encapsulated(mono8, '1.2.840.10008.1.2.4.50'), 'video');
    video.transferSyntax = transferSyntaxOf('1.2.840.10008.1.2.4.102');
    const r = await explicitLittleEndianCopy(video);
    assert.ok(!(r instanceof Uint8Array) && /MPEG-4 AVC\/H\.264.*does not decode/.test(r.reason), JSON.stringify(r));
  });

  test('a corrupt frame gives a reason naming the frame, and the file is left as it was', async () => {
    const image: TestImage = { rows: 16, columns: 16, frames: 3, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16, signed: false, photometric: 'MONOCHROME2' };
    for (const ts of Object.keys(LOSSLESS)) {
      const file = readDicomBuffer(await encapsulated(image, ts), 'corrupt');
      const pixelData = file.dataset.get(PixelData)!;
      // Frame 1's codestream cut to its first 20 bytes.
      const fragment = pixelData.fragments![2];
      const value = fragment.value as Uint8Array | { offset: number; length: number };
      fragment.value = value instanceof Uint8Array ? value.subarray(0, 20) : { offset: value.offset, length: 20 };
      fragment.span = null;
      const r = await explicitLittleEndianCopy(file);
      assert.ok(!(r instanceof Uint8Array), `${ts}: a corrupt frame gave a copy`);
      assert.match(r.reason, /cannot be decoded.*\(7FE0,0010\) \(frame 1\)/, `${ts}: ${r.reason}`);
      assert.equal(file.transferSyntax.uid, ts, 'the file keeps its syntax');
      assert.notEqual(file.dataset.get(PixelData)!.fragments, null, 'the file keeps its fragments');
    }
  });

  test('dcmtk or GDCM decode the originals to the copy\'s samples, and dcmdump reads every copy', async (t) => {
    const grey: TestImage = { rows: 24, columns: 20, frames: 2, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 12, signed: true, photometric: 'MONOCHROME2' };
    const rgb: TestImage = { rows: 12, columns: 10, frames: 2, samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8, signed: false, photometric: 'RGB' };
    // Debian's GDCM 3.0 reads no HTJ2K: those copies are checked by dcmdump only (their samples by the tests above).
    const decodable = new Set(Object.keys(LOSSLESS).filter((ts) => !ts.startsWith('1.2.840.10008.1.2.4.20')));
    for (const [ts, name] of Object.entries(LOSSLESS)) {
      for (const image of [grey, rgb]) {
        const oracle = oracleFor(ts);
        if (!needTool(t, oracle.tool) || !needTool(t, 'dcmdump')) return;
        const input = join(dir, 'oracle-in.dcm');
        const decoded = join(dir, 'oracle-out.dcm');
        const ours = join(dir, 'copy.dcm');
        const bytes = await encapsulated(image, ts);
        const copy = await copyOf(bytes);
        writeDicomFile(copy, ours);
        if (decodable.has(ts)) {
          writeFileSync(input, bytes);
          rmSync(decoded, { force: true });
          const ran = await runDecoder(oracle.tool, oracle.args(input, decoded), decoded);
          assert.ok(ran.ok, `${name}: ${ran.message}`);
          const theirs = await decodeAll(readDicomBuffer(readFileSync(decoded), decoded));
          const mine = await decodeAll(copy);
          for (let f = 0; f < image.frames; f++) {
            const a = storedSamples(theirs.frames[f], theirs.layout), b = storedSamples(mine.frames[f], mine.layout);
            assert.equal(a.length, b.length);
            assert.ok(a.every((v, i) => v === b[i]), `${name} ${image.photometric}: ${oracle.tool} decodes frame ${f} to other samples than the copy holds`);
          }
        }
        const dump = await run('dcmdump', ['-q', '+L', ours], 30_000);
        assert.equal(dump.code, 0, `${name}: dcmdump: ${dump.stderr}`);
        assert.equal(dump.stderr.trim(), '', `${name}: dcmdump complained: ${dump.stderr}`);
        assert.match(dump.stdout, new RegExp(`^\\(7fe0,0010\\) O[BW] .*# *${image.rows * image.columns * image.samplesPerPixel * image.frames * image.bitsAllocated / 8},`, 'm'));
      }
    }
  });
});
