// The extra pictures text detection searches (src/ocr/enhance.ts): faint tiles raised only where a faint label
// could be, and the chroma picture only for images with coloured pixels.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colourDistance, withLocalContrast } from '../../src/ocr/enhance.js';
import { drawTextImage } from '../helpers/text-image.js';

test('a label 10 grey levels over its ground is raised to a contrast the detector sees; gradients and strong text are left alone', () => {
  const faint = drawTextImage({ width: 192, height: 128, background: { kind: 'flat', value: 100 }, items: [{ text: 'SMITH^JOHN', font: 'Test Sans', size: 16, x: 10, y: 10, value: 110 }] });
  const raised = withLocalContrast(faint.image);
  assert.ok(raised, 'a faint tile is found');
  // The picture is the faint tiles with a tile of context, placed at its offset.
  const at = (x: number, y: number): number => raised.data[(y - raised.offset.y) * raised.width + (x - raised.offset.x)];
  const ink = faint.truth[0].ink;
  const inkMean = ink.reduce((n, p) => n + at(p % 192, Math.floor(p / 192)), 0) / ink.length;
  const ground = at(raised.offset.x + 2, raised.offset.y + 60);
  assert.ok(inkMean - ground > 20, `ink ${inkMean.toFixed(0)} vs ground ${ground}`);
  assert.equal(withLocalContrast(drawTextImage({ width: 192, height: 128, background: { kind: 'gradient', from: 10, to: 90 }, items: [] }).image), null);
  const strong = drawTextImage({ width: 192, height: 128, background: { kind: 'flat', value: 18 }, items: [{ text: 'SMITH^JOHN', font: 'Test Sans', size: 16, x: 10, y: 10, value: 235 }] });
  assert.equal(withLocalContrast(strong.image), null);
});

test('the chroma picture: red text on a grey of the same luma shows light on dark; a grey image has none', () => {
  const width = 64, height = 32, data = new Uint8Array(width * height * 3).fill(90);
  for (let x = 10; x < 40; x++) for (let y = 10; y < 14; y++) data.set([200, 50, 50], (y * width + x) * 3);
  const colour = colourDistance({ width, height, data, channels: 3 });
  assert.ok(colour && colour.data[12 * width + 20] > 200 && colour.data[2 * width + 2] === 0);
  assert.equal(colourDistance({ width, height, data: new Uint8Array(width * height * 3).fill(90), channels: 3 }), null);
});
