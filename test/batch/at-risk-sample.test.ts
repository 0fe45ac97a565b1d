// The pool's estimate of at-risk files under --burned-in redact (src/batch/at-risk-sample.ts), on files written here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimatedAtRisk } from '../../src/batch/at-risk-sample.js';
import { basicProfilePlan } from '../../src/config/build.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { newStringElement } from '../../src/dicom/values.js';
import { Modality } from '../../src/dicom/tags.generated.js';
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
