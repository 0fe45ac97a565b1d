// Text detection on generated images: ≥ 98% of strings found (four fonts, 10–32 px, both polarities, bands,
// speckle, corners, middle, RGB, a 2048² image), no boxes on text-free images, stable output, options honoured.
//
// "Found": a drawn string counts as found when the detected boxes together cover ≥ 90% of its ink pixels
// (pixels of ≥ 50% glyph coverage). Ink, not the string's bounding box, because redaction must remove the
// strokes; the 10% slack allows anti-aliased edge pixels a box may shave.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTextDetector, type TextBox } from '../../src/ocr/index.js';
import { greyCases, largeCase, rgbCases, textFreeImages, type TextCase } from '../helpers/text-cases.js';
import { inkCoverage } from '../helpers/text-image.js';

const FOUND_COVERAGE = 0.9;
const REQUIRED_RATE = 0.98;

function overlaps(a: TextBox, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test('finds ≥ 98% of generated strings; prints misses per font, size and ground', async () => {
  const detector = await loadTextDetector();
  const cases: TextCase[] = [...greyCases(), ...rgbCases(), largeCase()];
  let found = 0, total = 0, strayBoxes = 0;
  const misses: string[] = [];
  for (const c of cases) {
    const boxes = await detector.detect(c.image);
    for (const truth of c.truth) {
      total++;
      const coverage = inkCoverage(truth, boxes, c.image.width);
      if (coverage >= FOUND_COVERAGE) found++;
      else misses.push(`${c.name}: "${truth.text}" ${truth.size}px ${truth.polarity} at (${truth.box.x},${truth.box.y}) ink covered ${(coverage * 100).toFixed(0)}%`);
    }
    strayBoxes += boxes.filter((box) => !c.truth.some((truth) => overlaps(box, truth.box))).length;
  }
  const rate = found / total;
  console.log(`text detection: ${found}/${total} strings found (${(rate * 100).toFixed(1)}%) in ${cases.length} images; ${strayBoxes} boxes touch no string`);
  for (const miss of misses) console.log(`  missed ${miss}`);
  assert.ok(rate >= REQUIRED_RATE, `found ${found}/${total} (${(rate * 100).toFixed(1)}%), need ${REQUIRED_RATE * 100}%:\n${misses.join('\n')}`);
});

test('text-free images (flat, gradient, speckle, discs) give no box', async () => {
  const detector = await loadTextDetector();
  for (const { name, image } of textFreeImages()) {
    const boxes = await detector.detect(image);
    assert.deepEqual(boxes, [], `${name}: ${JSON.stringify(boxes)}`);
  }
});

test('the same image gives the same boxes, in the same order', async () => {
  const detector = await loadTextDetector();
  const [first, second] = greyCases().slice(3, 5);
  const a = await detector.detect(first.image);
  await detector.detect(second.image); // something else in between
  const b = await detector.detect({ ...first.image, data: first.image.data.slice() });
  assert.deepEqual(b, a);
  for (let i = 1; i < a.length; i++) assert.ok(a[i - 1].y < a[i].y || (a[i - 1].y === a[i].y && a[i - 1].x <= a[i].x), 'sorted by y then x');
});

test('boxes lie inside the image and carry a score ≥ the threshold; margin grows them, clipped', async () => {
  const detector = await loadTextDetector();
  const { image } = greyCases()[0];
  const plain = await detector.detect(image);
  assert.ok(plain.length > 0);
  for (const box of plain) {
    assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= image.width && box.y + box.height <= image.height, JSON.stringify(box));
    assert.ok(box.score >= 0.5 && box.score <= 1, JSON.stringify(box));
  }
  const widened = await detector.detect(image, { margin: 4 });
  assert.equal(widened.length, plain.length);
  widened.forEach((box, i) => {
    const p = plain[i];
    assert.equal(box.x, Math.max(0, p.x - 4));
    assert.equal(box.y, Math.max(0, p.y - 4));
    assert.equal(box.x + box.width, Math.min(image.width, p.x + p.width + 4));
  });
  const strict = await detector.detect(image, { minScore: 0.999 });
  assert.ok(strict.length < plain.length, 'a higher threshold keeps fewer boxes');
});

test('recognition reads the strings in the boxes (loosely: the reader drops spaces, ^ may read as ~)', async () => {
  const detector = await loadTextDetector();
  const { image, truth } = greyCases()[0];
  const boxes = await detector.detect(image, { recognize: true });
  const read = boxes.map((box) => (box.text ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '')).join(' ');
  for (const expected of ['SMITH', 'JOHN', '00123456', '19870314', 'HOSPITAL']) assert.ok(read.includes(expected), `${expected} in ${read}`);
  assert.ok(truth.length > 0 && boxes.every((box) => typeof box.textScore === 'number'));
  const again = await detector.recognize(image, boxes.map(({ x, y, width, height }) => ({ x, y, width, height })));
  assert.deepEqual(again.map((box) => box.text), boxes.map((box) => box.text), 'recognize() on given boxes reads the same, in order');
  assert.deepEqual(await detector.recognize(image, []), []);
});

test('bad input is refused with the size in the message', async () => {
  const detector = await loadTextDetector();
  await assert.rejects(detector.detect({ width: 10, height: 10, data: new Uint8Array(99) }), /99 bytes for a 10×10×1 image/);
  await assert.rejects(detector.detect({ width: 0, height: 10, data: new Uint8Array(0) }), /bad image size/);
});

test('tiny images (smaller than the network\'s 32 px) work', async () => {
  const detector = await loadTextDetector();
  assert.deepEqual(await detector.detect({ width: 7, height: 5, data: new Uint8Array(35).fill(200) }), []);
});

test('text from 8 px to 128 px on a 1024² image is found at native scale (tiles stitched)', async () => {
  const detector = await loadTextDetector();
  const { drawTextImage, FONT_NAMES } = await import('../helpers/text-image.js');
  for (const size of [8, 48, 96, 128]) {
    for (const value of [230, 20]) {
      const c = drawTextImage({
        width: 1024, height: 1024, background: { kind: 'flat', value: 255 - value },
        items: [{ text: 'SMITH^JOHN', font: FONT_NAMES[0], size, x: 40, y: 300, value }, { text: '1987-03-14', font: FONT_NAMES[2], size, x: 300, y: 620, value }],
      });
      const boxes = await detector.detect(c.image);
      for (const truth of c.truth) {
        const coverage = inkCoverage(truth, boxes, 1024);
        assert.ok(coverage >= FOUND_COVERAGE, `"${truth.text}" ${size}px ${truth.polarity}: ${(coverage * 100).toFixed(0)}% covered`);
      }
    }
  }
});

test('cine: every frame is searched; text on one frame only is found on that frame; identical frames reuse boxes', async () => {
  const { cineCase } = await import('../helpers/text-cases.js');
  const detector = await loadTextDetector();
  const cine = cineCase(24, 256, 17);
  const perFrame = await detector.detectFrames(cine.frames.map((f) => f.image));
  assert.equal(perFrame.length, 24);
  let found = 0, total = 0;
  cine.frames.forEach((frame, i) => {
    for (const truth of frame.truth) {
      total++;
      const coverage = inkCoverage(truth, perFrame[i], 256);
      if (coverage >= FOUND_COVERAGE) found++;
      if (truth.text === cine.onlyText) assert.ok(coverage >= FOUND_COVERAGE, `one-frame text on frame ${i}: ${(coverage * 100).toFixed(0)}%`);
    }
  });
  assert.ok(found / total >= REQUIRED_RATE, `cine: ${found}/${total}`);
  const still = cine.frames[3].image;
  const repeated = await detector.detectFrames([still, { ...still, data: still.data.slice() }, still]);
  assert.deepEqual(repeated[1], repeated[0]);
  assert.deepEqual(repeated[2], await detector.detect(still));
});

test('faint text, 10 grey levels over or under its ground, is found (contrast stretched first)', async () => {
  const detector = await loadTextDetector();
  const { drawTextImage, FONT_NAMES } = await import('../helpers/text-image.js');
  const { PHI_STRINGS } = await import('../helpers/text-cases.js');
  for (const value of [110, 90]) {
    const items = [10, 12, 14, 16, 20, 24, 32].map((size, i) => ({ text: PHI_STRINGS[i], font: FONT_NAMES[i % 4], size, x: 10 + (i % 2) * 200, y: 10 + i * 70, value }));
    const c = drawTextImage({ width: 512, height: 512, background: { kind: 'flat', value: 100 }, items });
    const boxes = await detector.detect(c.image);
    for (const truth of c.truth) {
      const coverage = inkCoverage(truth, boxes, 512);
      assert.ok(coverage >= FOUND_COVERAGE, `"${truth.text}" ${truth.size}px grey ${value} on 100: ${(coverage * 100).toFixed(0)}%`);
    }
  }
});

test('coloured text on RGB images is found, also red on green of about the same luma', async () => {
  const detector = await loadTextDetector();
  const { drawTextImage, FONT_NAMES } = await import('../helpers/text-image.js');
  const { PHI_STRINGS } = await import('../helpers/text-cases.js');
  // The strings drawn white on black give the coverage of each pixel; the colours are painted from it.
  const items = [10, 12, 14, 16, 20, 24, 32].map((size, i) => ({ text: PHI_STRINGS[i], font: FONT_NAMES[i % 4], size, x: 10 + (i % 2) * 200, y: 10 + i * 70, value: 255 }));
  const mask = drawTextImage({ width: 512, height: 512, background: { kind: 'flat', value: 0 }, items });
  const colours = { 'yellow on grey': [[240, 220, 40], [90, 90, 90]], 'red on green': [[200, 60, 60], [60, 120, 60]], 'blue on black': [[60, 90, 255], [0, 0, 0]] } as const;
  for (const [name, [text, ground]] of Object.entries(colours)) {
    const data = new Uint8Array(512 * 512 * 3);
    for (let i = 0; i < 512 * 512; i++) {
      const a = mask.image.data[i] / 255;
      for (let c = 0; c < 3; c++) data[i * 3 + c] = Math.round(ground[c] * (1 - a) + text[c] * a);
    }
    const boxes = await detector.detect({ width: 512, height: 512, data, channels: 3 });
    for (const truth of mask.truth) {
      const coverage = inkCoverage(truth, boxes, 512);
      assert.ok(coverage >= FOUND_COVERAGE, `${name}: "${truth.text}" ${truth.size}px ${(coverage * 100).toFixed(0)}% covered`);
    }
  }
});

test('recognize() clips boxes to the image and reads an empty box as empty text', async () => {
  const detector = await loadTextDetector();
  const { image } = greyCases()[0];
  const [outside, empty] = await detector.recognize(image, [{ x: -20, y: -20, width: 10, height: 10 }, { x: 200, y: 250, width: 40, height: 20 }]);
  assert.equal(outside.text, '');
  assert.equal(typeof empty.text, 'string');
});

test('text cut by the image edge (half a line above the top, below the bottom, off the sides) is found', async () => {
  const detector = await loadTextDetector();
  const { drawTextImage, FONT_NAMES } = await import('../helpers/text-image.js');
  for (const value of [230, 20]) {
    const c = drawTextImage({
      width: 512, height: 512, background: { kind: 'flat', value: 255 - value },
      items: [
        { text: 'SMITH^JOHN', font: FONT_NAMES[0], size: 14, x: -20, y: 100, value },
        { text: '1987-03-14', font: FONT_NAMES[1], size: 14, x: 460, y: 200, value },
        { text: 'ID 00123456', font: FONT_NAMES[2], size: 16, x: 200, y: -5, value },
        { text: 'DOE^JANE', font: FONT_NAMES[3], size: 16, x: 200, y: 505, value },
      ],
    });
    const boxes = await detector.detect(c.image);
    for (const truth of c.truth) {
      const coverage = inkCoverage(truth, boxes, 512);
      assert.ok(coverage >= FOUND_COVERAGE, `"${truth.text}" cut at the edge, ${truth.polarity}: ${(coverage * 100).toFixed(0)}% of the visible ink covered`);
    }
  }
});
