// The pool's estimate of at-risk files under --burned-in redact (src/batch/at-risk-sample.ts), on files written here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimatedAtRisk, SAMPLED_HEADERS, spreadSample } from '../../src/batch/at-risk-sample.js';
import { basicProfilePlan } from '../../src/config/build.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { newStringElement } from '../../src/dicom/values.js';
import { ImageType, Modality, SOPClassUID } from '../../src/dicom/tags.generated.js';
import { textDicom } from '../anonymize/text-dicom.js';

test('at-risk headers are counted from a sample, scaled to the list, and the look stops once enough are found', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'at-risk-sample-'));
  try {
    const paths: string[] = [];
    for (let i = 0; i < 6; i++) {
      const file = await textDicom({ n: 200 + i, width: 8, height: 8, frames: [new Uint8Array(64)] });
      // Half ultrasound (at risk), half CT with an ordinary SOP class kept as is (the gate trusts a CT modality).
      if (i % 2 === 1) file.dataset.put(newStringElement(file.dataset, Modality, 'CS', 'CT'));
      const path = join(dir, `${i}.dcm`);
      writeDicomFile(file, path);
      file.close();
      paths.push(path);
    }
    const gate = basicProfilePlan([]).pixels.gate;
    const sopGated = gate.sopClasses.includes('1.2.840.10008.5.1.4.1.1.3.1');
    assert.equal(estimatedAtRisk(paths, gate, 100), sopGated ? 6 : 3);
    assert.equal(estimatedAtRisk(paths, gate, 1), 6, 'the first file is at risk: scaled from 1 of 1 looked at');
    assert.equal(estimatedAtRisk([join(dir, 'missing.dcm')], gate, 1), 0, 'an unreadable file counts as not at risk');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the sample is spread over the whole list, so at-risk files gathered at its end are seen', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'at-risk-spread-'));
  try {
    // 200 CT slices sorted first (as a tree's CT folder would be), then 56 ultrasound images: a sample of the first
    // 64 would see none of them.
    const ct = await textDicom({ n: 300, width: 8, height: 8, frames: [new Uint8Array(64)] });
    ct.dataset.put(newStringElement(ct.dataset, Modality, 'CS', 'CT'));
    ct.dataset.put(newStringElement(ct.dataset, SOPClassUID, 'UI', '1.2.840.10008.5.1.4.1.1.2'));
    ct.dataset.put(newStringElement(ct.dataset, ImageType, 'CS', 'ORIGINAL\\PRIMARY\\AXIAL'));
    const ctPath = join(dir, 'ct.dcm');
    writeDicomFile(ct, ctPath);
    ct.close();
    const us = await textDicom({ n: 301, width: 8, height: 8, frames: [new Uint8Array(64)] });
    const usPath = join(dir, 'us.dcm');
    writeDicomFile(us, usPath);
    us.close();
    const gate = basicProfilePlan([]).pixels.gate;
    assert.equal(estimatedAtRisk([ctPath], gate, 1), 0, 'an original CT slice is not at risk');
    assert.equal(estimatedAtRisk([usPath], gate, 1), 1, 'an ultrasound image is');
    const paths = [...Array<string>(200).fill(ctPath), ...Array<string>(56).fill(usPath)];
    const estimate = estimatedAtRisk(paths, gate, 1000);
    assert.ok(estimate >= 40 && estimate <= 72, `about 56 of 256 at risk, estimated ${estimate}`);
    assert.deepEqual(spreadSample([1, 2, 3], SAMPLED_HEADERS), [1, 2, 3]);
    const spread = spreadSample(Array.from({ length: 1000 }, (_, i) => i), SAMPLED_HEADERS);
    assert.equal(spread.length, SAMPLED_HEADERS);
    assert.equal(spread[0], 0);
    assert.ok(spread[SAMPLED_HEADERS - 1] >= 1000 - Math.ceil(1000 / SAMPLED_HEADERS), 'the last sample is near the end');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
