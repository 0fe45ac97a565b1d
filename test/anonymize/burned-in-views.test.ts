// Detection sees what a reader sees, and keeps what users need (issue 23 items 5 and 6), through the engine with
// the real detector on generated files: a faint label readable only at the file's own window (12 bits stored,
// Window Center/Width), found and blanked; a colour Doppler image without text, delivered without a blanked box;
// the area limit that sends a page of "text" to review.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { coveredShare, MAX_BLANKED_SHARE } from '../../src/anonymize/burned-in/detect.js';
import { basicProfilePlan } from '../../src/config/build.js';
import type { DicomFile } from '../../src/dicom/part10.js';
import { newStringElement } from '../../src/dicom/values.js';
import { WindowCenter, WindowWidth } from '../../src/dicom/tags.generated.js';
import { readFrames } from '../../src/pixels/index.js';
import { drawTextImage } from '../helpers/text-image.js';
import { textFreeColourPictures } from '../helpers/text-free-colour.js';
import { textDicom } from './text-dicom.js';

const KEY = Keys.fromSecret('burned-in-views-test-key-0123456789');

function redactor(): Anonymizer {
  const p = basicProfilePlan([]);
  return new Anonymizer({ ...p, pixels: { ...p.pixels, policy: 'redact' } }, KEY);
}

async function firstFrame(file: DicomFile): Promise<Uint8Array> {
  for await (const frame of readFrames(file)) return frame.data.slice();
  throw new Error('no frame');
}

test('a faint label, 3 grey levels at min..max but plain at the file\'s window, is found and blanked', async () => {
  // Drawn in 8 bits, stored ×16 in 12 bits: ground 62 (992), label 65 (1040), a bright disc 250 (4000) that sets
  // the frame's maximum. At min..max the label is 3 of 255 grey levels over its ground; at the window (center
  // 1016, width 96) it is white on black.
  const drawn = drawTextImage({
    width: 256, height: 192, background: { kind: 'flat', value: 62 },
    items: [{ text: 'SMITH^JOHN', font: 'Test Sans', size: 16, x: 8, y: 8, value: 65 }],
  });
  const data = drawn.image.data;
  for (let y = 0; y < 192; y++) for (let x = 0; x < 256; x++) if (Math.hypot(x - 170, y - 120) < 40) data[y * 256 + x] = 250;
  const file = await textDicom({ n: 91, width: 256, height: 192, frames: [data], bits: 16 });
  file.dataset.put(newStringElement(file.dataset, WindowCenter, 'DS', '1016'));
  file.dataset.put(newStringElement(file.dataset, WindowWidth, 'DS', '96'));
  const anonymizer = redactor();
  const outcome = await anonymizer.finishPixels(file, anonymizer.anonymizeFile(file));
  assert.equal(outcome.status, 'redacted', JSON.stringify(outcome));
  const out = await firstFrame(file);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const ink = drawn.truth[0].ink;
  let blanked = 0;
  for (const at of ink) if (view.getUint16(at * 2, true) === 0) blanked++;
  assert.ok(blanked / ink.length >= 0.9, `${blanked} of ${ink.length} ink pixels blanked`);
  // The disc (no text) is untouched.
  assert.equal(view.getUint16((120 * 256 + 170) * 2, true), 4000);
  file.close();
});

test('colour Doppler flow without text: the flow is not blanked (no box on one image, one 7×14 px speck on the other)', async () => {
  // Before: one box of 131×135 px over the flow of image 32, two (150×174 and 7×14) on image 31.
  for (const picture of textFreeColourPictures(256).filter((p) => p.name.startsWith('colour flow'))) {
    const file = await textDicom({ n: 92, width: picture.width, height: picture.height, frames: [picture.data], photometric: 'RGB', regions: picture.region ? [picture.region] : undefined });
    const anonymizer = redactor();
    const outcome = await anonymizer.finishPixels(file, anonymizer.anonymizeFile(file));
    if (outcome.status === 'nothing-to-blank') assert.deepEqual(await firstFrame(file), picture.data, `${picture.name}: pixels unchanged`);
    else {
      assert.equal(outcome.status, 'redacted', `${picture.name}: ${JSON.stringify(outcome)}`);
      const share = coveredShare(outcome.rectangles, picture.width, picture.height);
      assert.ok(share < 0.01, `${picture.name}: ${(share * 100).toFixed(1)}% of the image blanked`);
    }
    assert.ok(picture.name !== 'colour flow 32' || outcome.status === 'nothing-to-blank', `${picture.name}: ${JSON.stringify(outcome)}`);
    file.close();
  }
});

test('the blanked share of a frame is measured on the union of the rectangles; the review limit is a set share', () => {
  assert.equal(coveredShare([], 100, 100), 0);
  assert.equal(coveredShare([{ x: 0, y: 0, width: 100, height: 100 }], 100, 100), 1);
  assert.equal(coveredShare([{ x: 0, y: 0, width: 40, height: 100 }, { x: 20, y: 0, width: 40, height: 100 }], 100, 100), 0.6);
  assert.ok(MAX_BLANKED_SHARE > 0.28 && MAX_BLANKED_SHARE < 0.5);
});
