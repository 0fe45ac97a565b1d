// --burned-in redact samples the series the gate trusts: first, middle and last instance, every frame. A series
// whose sample shows text is at risk as a whole, so an instance outside the sample that carries text is searched and
// cleaned too. Files generated here: a five-slice original CT series with a name drawn on slices 1 and 2.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basicProfilePlan } from '../../src/config/build.js';
import { DataElement, DataSet } from '../../src/dicom/dataset.js';
import { createDicomFile } from '../../src/dicom/create.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { newNumberElement, newStringElement } from '../../src/dicom/values.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { runBatch } from '../../src/batch/run.js';
import { pickSeriesSample } from '../../src/anonymize/burned-in/series-sample.js';
import { missingTextDetectionPackages } from '../../src/ocr/installed.js';
import {
  BitsAllocated, BitsStored, Columns, HighBit, ImageType, InstanceNumber, Modality, PatientID, PatientName, PhotometricInterpretation, PixelData,
  PixelRepresentation, Rows, SamplesPerPixel, SeriesInstanceUID, SOPClassUID, SOPInstanceUID, StudyInstanceUID,
} from '../../src/dicom/tags.generated.js';
import { readRunReport } from '../../src/records/index.js';
import { pixelBytes } from '../helpers/pixels.js';
import { drawTextImage } from '../helpers/text-image.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const WIDTH = 384, HEIGHT = 160;
const noTextDetection = missingTextDetectionPackages().length > 0 && process.env.CI !== 'true'
  ? `text detection is not installed (${missingTextDetectionPackages().join(', ')})` : false;

test('the sample: first, middle and last instance by Instance Number, input order breaking ties', () => {
  const m = (key: string, instanceNumber: number | null) => ({ key, instanceNumber });
  assert.deepEqual(pickSeriesSample([m('c', 3), m('a', 1), m('e', 5), m('b', 2), m('d', 4)]), ['a', 'c', 'e']);
  assert.deepEqual(pickSeriesSample([m('x', 1)]), ['x']);
  assert.deepEqual(pickSeriesSample([m('x', 2), m('y', 1)]), ['y', 'x']);
  assert.deepEqual(pickSeriesSample([m('p', null), m('q', null), m('r', null)]), ['p', 'q', 'r']);
  assert.deepEqual(pickSeriesSample([]), []);
});

/** Slice `n` (1..5) of an original CT series; slices 1 and 2 carry the patient's name and ID in a corner. */
function slice(n: number): { dataset: DataSet; ink: Int32Array[] } {
  const drawn = drawTextImage({
    width: WIDTH, height: HEIGHT, background: { kind: 'gradient', from: 10, to: 60 },
    items: n <= 2 ? [{ text: 'SMITH^JOHN', font: 'Test Sans', size: 18, x: 6, y: 6, value: 240 }, { text: '00123456', font: 'Test Sans', size: 18, x: 6, y: 34, value: 240 }] : [],
  });
  const ds = new DataSet({ explicitVR: true, littleEndian: true });
  const put = (tag: number, vr: string, text: string): void => ds.put(newStringElement(ds, tag, vr, text));
  put(ImageType, 'CS', 'ORIGINAL\\PRIMARY\\AXIAL');
  put(SOPClassUID, 'UI', CT);
  put(SOPInstanceUID, 'UI', `2.25.9090${n}`);
  put(Modality, 'CS', 'CT');
  put(PatientName, 'PN', 'SMITH^JOHN');
  put(PatientID, 'LO', '00123456');
  put(StudyInstanceUID, 'UI', '2.25.9091');
  put(SeriesInstanceUID, 'UI', '2.25.9092');
  put(InstanceNumber, 'IS', String(n));
  const us = (tag: number, v: number): void => ds.put(newNumberElement(ds, tag, 'US', [v]));
  us(SamplesPerPixel, 1);
  put(PhotometricInterpretation, 'CS', 'MONOCHROME2');
  us(Rows, HEIGHT);
  us(Columns, WIDTH);
  us(BitsAllocated, 8);
  us(BitsStored, 8);
  us(HighBit, 7);
  us(PixelRepresentation, 0);
  const pixels = new DataElement(PixelData, 'OB');
  pixels.setValue(drawn.image.data, 'OB');
  ds.put(pixels);
  return { dataset: ds, ink: drawn.truth.map((t) => t.ink) };
}

test('a trusted series whose sample shows text is searched whole: text outside the sample is cleaned too', { skip: noTextDetection }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'series-sampling-'));
  try {
    const input = join(work, 'in');
    mkdirSync(input);
    const ink = new Map<number, Int32Array[]>();
    for (let n = 1; n <= 5; n++) {
      const { dataset, ink: drawn } = slice(n);
      ink.set(n, drawn);
      writeDicomFile(createDicomFile(dataset, '1.2.840.10008.1.2.1', CT, `2.25.9090${n}`), join(input, `slice-${n}.dcm`));
    }
    const base = basicProfilePlan([]);
    const output = join(work, 'out');
    const report = join(work, 'report.json');
    const summary = await runBatch({
      input, output, recursive: true, plan: { ...base, pixels: { ...base.pixels, policy: 'redact' } }, jobs: 1, reportPath: report,
      secret: { kind: 'text', text: 'series-sampling-key-0123456789' }, log: () => {},
    });
    assert.equal(summary.ok, 5);
    const entries = readRunReport(report).files;
    for (let n = 1; n <= 5; n++) {
      const entry = entries.find((f) => f.input.endsWith(`slice-${n}.dcm`));
      assert.ok(entry?.burnedIn?.reasons.some((r) => /series' sample .* shows text/.test(r)), `slice ${n}: ${JSON.stringify(entry?.burnedIn)}`);
      assert.equal(entry?.burnedIn?.status, n <= 2 ? 'redacted' : 'nothing-to-blank', `slice ${n}`);
    }
    // Slice 2 is not in the sample (1, 3, 5): its name is blanked because its series was found at risk.
    const out = readDicomFile(join(output, 'slice-2.dcm'));
    const after = pixelBytes(out)!;
    for (const string of ink.get(2)!) {
      const kept = [...string].filter((at) => after[at] > 100).length;
      assert.ok(kept / string.length < 0.1, `${kept} of ${string.length} ink pixels of slice 2 still bright`);
    }
    out.close();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
