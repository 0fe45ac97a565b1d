// --burned-in redact on real at-risk files of the corpus (an ultrasound with burned-in names, RGB big endian,
// MONOCHROME1 10-bit CR, a 16-bit palette test pattern): each is redacted, the output reads back, and text
// detection on the output (verify --pixels' check) finds no text matching the original's identifying values.
// Pydicom's OBXXXX1A shows its patient's name and ID in the pixels: the outcome names those attributes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/build.js';
import { readDicomFile } from '../../src/dicom/part10.js';
import { writeDicomFile } from '../../src/files/dicom-output.js';
import { pixelTextFindings } from '../../src/verify/pixels.js';
import { CORPUS_DIR, corpusSkip } from '../helpers/corpus.js';

const FILES: [string, string[]][] = [
  ['pydicom-data/OBXXXX1A.dcm', ['PatientName', 'PatientID', 'InstitutionName']],
  ['dwv/data/gdcm-US-RGB-8-epicard.dcm', []],
  ['fo-dicom/CR-MONO1-10-chest', []],
  ['fo-dicom/TestPattern_Palette_16.dcm', []],
];

test('real at-risk files: redacted, and no text matching the original\'s identifying values is left', { skip: corpusSkip(), timeout: 240_000 }, async () => {
  const base = basicProfilePlan([]);
  const anonymizer = new Anonymizer({ ...base, pixels: { ...base.pixels, policy: 'redact' } }, Keys.fromSecret('burned-in-detect-corpus-key-0123456789'));
  const dir = mkdtempSync(join(tmpdir(), 'burned-in-detect-corpus-'));
  try {
    for (const [path, mustMatch] of FILES) {
      const file = readDicomFile(join(CORPUS_DIR, path));
      const outcome = await anonymizer.finishPixels(file, anonymizer.anonymizeFile(file));
      assert.equal(outcome.status, 'redacted', `${path}: ${JSON.stringify(outcome)}`);
      for (const keyword of mustMatch) assert.ok(outcome.status === 'redacted' && outcome.text?.matched.includes(keyword), `${path}: ${keyword} in ${JSON.stringify(outcome)}`);
      const target = join(dir, 'out.dcm');
      writeDicomFile(file, target);
      file.close();
      const out = readDicomFile(target);
      const original = readDicomFile(join(CORPUS_DIR, path));
      try {
        const left = (await pixelTextFindings(out, original)).filter((f) => f.kind === 'pixel-text-identifying');
        assert.deepEqual(left, [], path);
      } finally {
        out.close();
        original.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
