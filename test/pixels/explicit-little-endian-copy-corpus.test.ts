// The lossless Explicit VR Little Endian copy of real corpus files (../shared/corpus) in big endian and in every
// lossless compressed syntax: the copy is native Explicit VR Little Endian and decodes to exactly the samples the
// original decodes to; a file whose pixel data our layer cannot decode gets a reason, never a copy. JPEG 2000 and HTJ2K
// (which may be lossy) are copied only when their codestreams are reversible; lossy syntaxes always get a reason.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { createFileMeta } from '../../src/dicom/create.js';
import { DataSet } from '../../src/dicom/dataset.js';
import { readDicomBuffer } from '../../src/dicom/part10.js';
import { BufferSource } from '../../src/dicom/source.js';
import { EXPLICIT_VR_LITTLE_ENDIAN, transferSyntaxOf } from '../../src/dicom/transfer-syntax.js';
import { encodeDicomFileToBuffer } from '../../src/dicom/writer.js';
import { explicitLittleEndianCopy } from '../../src/pixels/explicit-little-endian-copy.js';
import { isReversibleCodestream } from '../../src/pixels/codecs/j2k-markers.js';
import { encapsulatedFrameBytes, locateFrames } from '../../src/pixels/encapsulated.js';
import { describe as describeFile, pixelDataElement } from '../../src/pixels/frames.js';
import { pixelElementOf } from '../../src/pixels/image.js';
import { corpusEntries, corpusPath, corpusSkip, type CorpusEntry } from '../helpers/corpus.js';
import { compareSamples, decodeAll } from './helpers.js';

const LOSSLESS = [
  'Explicit VR Big Endian', 'JPEG Lossless, Non-Hierarchical (Process 14)', 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])',
  'JPEG-LS Lossless Image Compression', 'RLE Lossless', 'JPEG 2000 Image Compression (Lossless Only)', 'HTJ2K Lossless', 'Deflated Image Frame Compression',
];
const MAY_BE_LOSSY = ['JPEG 2000 Image Compression', 'HTJ2K'];
const LOSSY = ['JPEG Baseline (Process 1)', 'JPEG Extended (Process 2 and 4)', 'JPEG-LS Lossy (Near-Lossless) Image Compression'];
/** Every readable corpus file of these syntaxes (about 100 files, 2 to 4 s of CPU). */
function sample(syntaxes: readonly string[]): CorpusEntry[] {
  return corpusEntries().filter((e) => syntaxes.includes(e.ts) && e.dcmdump !== 'FAIL');
}

function part10(dataset: Uint8Array): Buffer {
  const empty = new BufferSource(new Uint8Array(0));
  const meta = encodeDicomFileToBuffer({
    name: '<meta>', hadPreamble: true, meta: createFileMeta('1.2.840.10008.5.1.4.1.1.7', '2.25.1', EXPLICIT_VR_LITTLE_ENDIAN),
    dataset: new DataSet({ explicitVR: true, littleEndian: true }), transferSyntax: transferSyntaxOf(EXPLICIT_VR_LITTLE_ENDIAN), source: empty, datasetSource: empty, close: () => {},
  });
  return Buffer.concat([meta, dataset]);
}

/** Whether our pixel layer decodes every frame of the original (else the copy must be refused). */
async function decodable(bytes: Buffer): Promise<Awaited<ReturnType<typeof decodeAll>> | null> {
  try {
    return await decodeAll(readDicomBuffer(bytes, 'original'));
  } catch {
    return null;
  }
}

/** Whether every frame's codestream is coded reversibly. */
function reversible(bytes: Buffer): boolean {
  const file = readDicomBuffer(bytes, 'original');
  const element = pixelDataElement(file);
  const frames = locateFrames(file.dataset, element, describeFile(file).numberOfFrames, file.transferSyntax.uid, file.datasetSource);
  return frames.every((f) => isReversibleCodestream(encapsulatedFrameBytes(element, f, file.datasetSource)));
}

describe('the Explicit VR Little Endian copy of corpus files', { skip: corpusSkip() }, () => {
  test('big endian and lossless compressed files: the copy decodes to the original\'s samples', async (t) => {
    const entries = sample([...LOSSLESS, ...MAY_BE_LOSSY]);
    let copied = 0;
    for (const entry of entries) {
      const bytes = readFileSync(corpusPath(entry));
      const copy = await explicitLittleEndianCopy(readDicomBuffer(bytes, entry.path));
      if (pixelElementOf(readDicomBuffer(bytes, entry.path).dataset) === undefined) {
        // Nothing to decode: only the syntax changes.
        assert.ok(copy instanceof Uint8Array, `${entry.path}: ${(copy as { reason: string }).reason}`);
        continue;
      }
      const before = await decodable(bytes);
      if (MAY_BE_LOSSY.includes(entry.ts) && before !== null && !reversible(bytes)) {
        assert.ok(!(copy instanceof Uint8Array) && /not coded reversibly/.test(copy.reason), `${entry.path}: a lossy ${entry.ts} stream was copied`);
        continue;
      }
      if (before === null) {
        assert.ok(!(copy instanceof Uint8Array), `${entry.path}: our layer cannot decode it, yet it was copied`);
        continue;
      }
      assert.ok(copy instanceof Uint8Array, `${entry.path}: ${(copy as { reason: string }).reason}`);
      const after = await decodeAll(readDicomBuffer(part10(copy), `${entry.path} (copy)`));
      assert.equal(after.frames.length, before.frames.length, entry.path);
      for (let f = 0; f < before.frames.length; f++) {
        const diff = compareSamples(before.frames[f], before.layout, after.frames[f], after.layout);
        assert.equal(diff.differing, 0, `${entry.path} frame ${f}: ${diff.differing} of ${diff.count} samples differ`);
      }
      copied++;
    }
    t.diagnostic(`${copied} of ${entries.length} corpus files copied, the others refused as they should be`);
    assert.ok(copied >= 75, `${copied} of ${entries.length} corpus files copied`);
  });

  test('lossy files get a reason naming their syntax', async () => {
    for (const entry of sample(LOSSY)) {
      const copy = await explicitLittleEndianCopy(readDicomBuffer(readFileSync(corpusPath(entry)), entry.path));
      assert.ok(!(copy instanceof Uint8Array), `${entry.path}: a lossy file was copied`);
      assert.ok(copy.reason.includes(entry.ts) && /lossy syntax/.test(copy.reason), `${entry.path}: ${copy.reason}`);
    }
  });
});
