// A file read through the window with a tiny bulk threshold: values the reader needs itself (Transfer Syntax
// UID, private creators, Specific Character Set) are still held in memory, so the file reads and resolves.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSet } from '../../src/dicom/dataset.js';
import { createDicomFile } from '../../src/dicom/create.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { encodeDicomFileToBuffer } from '../../src/dicom/writer.js';
import { getString, newStringElement } from '../../src/dicom/values.js';
import { makeTag } from '../../src/dicom/tag.js';

test('tiny bulkThreshold: transfer syntax, private creator and charset still resolve', () => {
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  ds.put(newStringElement(ds, makeTag(0x0008, 0x0005), 'CS', 'ISO_IR 192'));
  ds.put(newStringElement(ds, makeTag(0x0009, 0x0010), 'LO', 'ACME PRIVATE CREATOR 1.0'));
  ds.put(newStringElement(ds, makeTag(0x0009, 0x1001), 'SH', 'XY'));
  ds.put(newStringElement(ds, makeTag(0x0010, 0x0010), 'PN', 'Müller^Grüße'));
  const file = createDicomFile(ds, '1.2.840.10008.1.2.1', '1.2.840.10008.5.1.4.1.1.7', '1.2.3.4.5');
  const dir = mkdtempSync(join(tmpdir(), 'bulk-'));
  try {
    const path = join(dir, 'f.dcm');
    writeFileSync(path, encodeDicomFileToBuffer(file));
    const read = readDicomFile(path, { inMemoryMaxBytes: 0, limits: { bulkThreshold: 6 } });
    try {
      assert.equal(read.transferSyntax.uid, '1.2.840.10008.1.2.1');
      assert.equal(read.dataset.get(makeTag(0x0009, 0x1001))?.privateCreator, 'ACME PRIVATE CREATOR 1.0');
      const name = read.dataset.get(makeTag(0x0010, 0x0010));
      assert.ok(name, 'PatientName present');
      assert.equal(getString(read.dataset, name, read.datasetSource), 'Müller^Grüße');
    } finally {
      read.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
