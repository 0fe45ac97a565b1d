// The lossless Explicit VR Little Endian copy the gateway sends to a peer that refuses an instance's syntax: for an
// Implicit VR Little Endian file, and for an Explicit VR Big Endian one (dcmconv +tb), dcmdump shows the same elements
// and values as dcmconv +te's conversion (sequences included); encapsulated pixel data give a reason instead.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDicomBuffer } from '../../src/dicom/part10.js';
import { explicitLittleEndianDataset } from '../../src/dicom/explicit-little-endian.js';
import { EXPLICIT_VR_BIG_ENDIAN, transferSyntaxOf } from '../../src/dicom/transfer-syntax.js';
import { fileMetaBytes } from '../../src/net/gateway/spool.js';
import { runTool, skipUnlessTools } from '../helpers/tools.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MR = join(REPO, 'examples', 'mr', 'image-001.dcm');

/** dcmdump's element lines without the file meta and the length comments. */
const elements = (dump: string): string[] => dump.split('\n').filter((l) => /^\s*\(/.test(l) && !/^\(0002,/.test(l)).map((l) => l.replace(/\s*#.*$/, ''));

test('Implicit VR Little Endian → Explicit VR Little Endian: the same elements as dcmconv +te', { skip: skipUnlessTools('dcmdump', 'dcmconv') }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'explicit-le-'));
  try {
    const file = readDicomBuffer(readFileSync(MR), MR);
    assert.equal(file.transferSyntax.explicitVR, false, 'the MR example is Implicit VR Little Endian');
    const dataset = explicitLittleEndianDataset(file);
    assert.ok(dataset instanceof Uint8Array);
    const ours = join(dir, 'ours.dcm');
    writeFileSync(ours, Buffer.concat([fileMetaBytes({ sopClassUid: '1.2.840.10008.5.1.4.1.1.4', sopInstanceUid: '1.2.3', transferSyntaxUid: '1.2.840.10008.1.2.1' }), dataset]));
    const theirs = join(dir, 'theirs.dcm');
    await runTool('dcmconv', ['+te', MR, theirs], { output: null });
    const a = await runTool('dcmdump', ['-q', '+L', ours]);
    const b = await runTool('dcmdump', ['-q', '+L', theirs]);
    assert.ok(elements(a.stdout).length > 20);
    assert.deepEqual(elements(a.stdout), elements(b.stdout));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Explicit VR Big Endian → Explicit VR Little Endian: values swapped by VR, the same elements as dcmconv +te', { skip: skipUnlessTools('dcmdump', 'dcmconv') }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'explicit-le-'));
  try {
    for (const example of [MR, join(REPO, 'examples', 'ct', 'slice-001.dcm')]) {
      const big = join(dir, 'big.dcm');
      await runTool('dcmconv', ['+tb', example, big], { output: null });
      const bytes = readFileSync(big);
      const file = readDicomBuffer(bytes, big);
      assert.equal(file.transferSyntax.uid, EXPLICIT_VR_BIG_ENDIAN);
      const before = Buffer.from(bytes);
      const dataset = explicitLittleEndianDataset(file);
      assert.ok(dataset instanceof Uint8Array);
      assert.ok(bytes.equals(before), 'the big endian bytes it was read from are unchanged');
      const ours = join(dir, 'ours.dcm');
      writeFileSync(ours, Buffer.concat([fileMetaBytes({ sopClassUid: '1.2.840.10008.5.1.4.1.1.4', sopInstanceUid: '1.2.3', transferSyntaxUid: '1.2.840.10008.1.2.1' }), dataset]));
      const theirs = join(dir, 'theirs.dcm');
      await runTool('dcmconv', ['+te', big, theirs], { output: null });
      const a = elements((await runTool('dcmdump', ['-q', '+L', ours])).stdout);
      const b = elements((await runTool('dcmdump', ['-q', '+L', theirs])).stdout);
      assert.ok(a.some((l) => /^\(0028,0010\) US 64\b/.test(l)), 'Rows reads 64 in the copy');
      assert.deepEqual(a, b);
      // The Pixel Data bytes too (dcmdump shows only the first words): the tail of both files is the same.
      assert.ok(readFileSync(ours).subarray(-4096).equals(readFileSync(theirs).subarray(-4096)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('encapsulated pixel data get a reason from the byte layer (the pixel layer decodes them)', () => {
  const jpeg = readDicomBuffer(readFileSync(MR), MR);
  jpeg.transferSyntax = transferSyntaxOf('1.2.840.10008.1.2.4.90');
  const j = explicitLittleEndianDataset(jpeg);
  assert.ok(!(j instanceof Uint8Array) && /encapsulated/.test(j.reason));
});
