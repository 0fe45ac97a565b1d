// Faces (issue 23 item 7), through the engine with the real face detector: a colour photograph of a face stored as
// a secondary capture is held back by default; under --burned-in redact its face is blanked, the detector finds no
// face in the delivered pixels, and Recognizable Visual Features NO with 113102 is written; a colour photograph
// without a face is delivered without 113102. The face photograph is face-api's own demo image (shipped in the npm
// package), scaled to 320 px wide; the test skips without the optional package and fails with CI=true.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/build.js';
import type { DicomFile } from '../../src/dicom/part10.js';
import { getString, getStrings, newStringElement } from '../../src/dicom/values.js';
import { CodeValue, DeidentificationMethodCodeSequence, Modality, RecognizableVisualFeatures, SOPClassUID } from '../../src/dicom/tags.generated.js';
import type { BurnedInPolicy } from '../../src/plan/plan.js';
import { readFrames } from '../../src/pixels/index.js';
import { textFreeColourPictures } from '../helpers/text-free-colour.js';
import { IN_CI } from '../helpers/tools.js';
import { textDicom } from './text-dicom.js';

const KEY = Keys.fromSecret('burned-in-faces-test-key-0123456789');
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

let facePackage: string | null = null;
try {
  facePackage = dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json'));
} catch {
  facePackage = null;
}
const skip = facePackage === null && !IN_CI ? 'the optional package @vladmandic/face-api is not installed' : false;

/** face-api's demo photograph sample2.jpg (one face), scaled to `width` px, as RGB. */
async function facePhoto(width: number): Promise<{ width: number; height: number; data: Uint8Array }> {
  const image = await loadImage(readFileSync(join(facePackage!, 'demo', 'sample2.jpg')));
  const height = Math.round((image.height * width) / image.width);
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0, width, height);
  const rgba = context.getImageData(0, 0, width, height).data;
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) data.set(rgba.subarray(p * 4, p * 4 + 3), p * 3);
  return { width, height, data };
}

async function photoDicom(n: number, picture: { width: number; height: number; data: Uint8Array }): Promise<DicomFile> {
  const file = await textDicom({ n, width: picture.width, height: picture.height, frames: [picture.data], photometric: 'RGB' });
  file.dataset.put(newStringElement(file.dataset, SOPClassUID, 'UI', SECONDARY_CAPTURE));
  file.dataset.put(newStringElement(file.dataset, Modality, 'CS', 'OT'));
  return file;
}

function anonymizer(policy: BurnedInPolicy): Anonymizer {
  const p = basicProfilePlan([]);
  return new Anonymizer({ ...p, pixels: { ...p.pixels, policy } }, KEY);
}

const codes = (file: DicomFile): string[] =>
  (file.dataset.get(DeidentificationMethodCodeSequence)?.items ?? []).map((item) => getStrings(item, item.get(CodeValue)!, file.datasetSource)[0]);

async function rgbOf(file: DicomFile): Promise<{ width: number; height: number; data: Uint8Array; channels: 3 }> {
  for await (const frame of readFrames(file)) return { width: frame.layout.columns, height: frame.layout.rows, data: frame.data.slice(), channels: 3 };
  throw new Error('no frame');
}

test('a face photograph: held back by default; under redact the face is blanked, none is found after, 113102 written', { skip }, async () => {
  const { detectFaces } = await import('../../src/ocr/faces.js');
  const photo = await facePhoto(320);
  const before = await detectFaces({ ...photo, channels: 3 });
  assert.ok(before.length >= 1, 'the detector finds the face in the input');

  const held = await photoDicom(95, photo);
  const byDefault = anonymizer('quarantine');
  const heldOutcome = await byDefault.finishPixels(held, byDefault.anonymizeFile(held));
  assert.equal(heldOutcome.status, 'quarantine');
  held.close();

  const file = await photoDicom(96, photo);
  const redact = anonymizer('redact');
  const outcome = await redact.finishPixels(file, redact.anonymizeFile(file));
  assert.equal(outcome.status, 'redacted', JSON.stringify(outcome));
  assert.deepEqual(await detectFaces(await rgbOf(file)), [], 'no face in the delivered pixels');
  const rvf = file.dataset.get(RecognizableVisualFeatures);
  assert.equal(rvf && getString(file.dataset, rvf, file.datasetSource).trim(), 'NO');
  assert.ok(codes(file).includes('113102') && codes(file).includes('113101'), JSON.stringify(codes(file)));
  file.close();
});

test('a colour photograph without a face is delivered under redact without 113102', { skip }, async () => {
  const picture = textFreeColourPictures(256).find((p) => p.name === 'photograph')!;
  const file = await photoDicom(97, picture);
  const redact = anonymizer('redact');
  const outcome = await redact.finishPixels(file, redact.anonymizeFile(file));
  assert.ok(outcome.status === 'nothing-to-blank' || outcome.status === 'redacted', JSON.stringify(outcome));
  assert.ok(!codes(file).includes('113102'));
  file.close();
});
