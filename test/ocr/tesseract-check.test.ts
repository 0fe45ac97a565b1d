// Independent check with Debian's tesseract: after the detected boxes are filled, tesseract reads none of the
// identifying text it could read before. Without tesseract: skipped with the reason, or failed when CI=true.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTextDetector } from '../../src/ocr/index.js';
import { greyCases, rgbCases } from '../helpers/text-cases.js';
import { fillRectsWithSurround, type DrawnText } from '../helpers/text-image.js';
import { identifyingTokens, normalise, tesseractReadLines, tesseractReadPage, tesseractVersion } from '../helpers/tesseract.js';

const version = tesseractVersion();
const skip = version === null && process.env.CI !== 'true' ? 'tesseract CLI not installed (apt-get install tesseract-ocr); set CI=true to make this a failure' : false;
if (skip) console.log(`# skipping the tesseract check: ${skip}`);

/** The region read for one string: its ink box padded by one font size, so the reader sees the whole line and some ground. */
function lineRegion(truth: DrawnText) {
  const pad = truth.size;
  return { x: truth.box.x - pad, y: truth.box.y - pad, width: truth.box.width + 2 * pad, height: truth.box.height + 2 * pad };
}

test('after filling the detected boxes, tesseract reads none of the identifying text', { skip }, async () => {
  assert.ok(version, 'CI=true and the tesseract CLI is missing: .ci/run must install tesseract-ocr');
  const detector = await loadTextDetector();
  // Every other image keeps the run near a minute while covering each font, each ground and RGB.
  const cases = [...greyCases(), ...rgbCases()].filter((_, i) => i % 2 === 0);
  let readableBefore = 0, total = 0;
  const leaks: string[] = [];
  for (const c of cases) {
    const regions = c.truth.map(lineRegion);
    const pageBefore = normalise(tesseractReadPage(c.image));
    const linesBefore = tesseractReadLines(c.image, regions).map(normalise);
    const redacted = { ...c.image, data: c.image.data.slice() };
    // Filled with the surrounding ground, not black: stroke fringes a box missed would stay visible to the reader.
    fillRectsWithSurround(redacted, await detector.detect(c.image));
    const pageAfter = normalise(tesseractReadPage(redacted));
    const linesAfter = tesseractReadLines(redacted, regions).map(normalise);
    c.truth.forEach((truth, i) => {
      total++;
      if (linesBefore[i].includes(normalise(truth.text)) || pageBefore.includes(normalise(truth.text))) readableBefore++;
      for (const token of identifyingTokens(truth.text)) {
        if (linesAfter[i].includes(token) || pageAfter.includes(token)) leaks.push(`${c.name}: "${token}" of "${truth.text}" (${truth.size}px) still readable`);
      }
    });
  }
  console.log(`tesseract (${version}) read ${readableBefore}/${total} strings whole before redaction, ${leaks.length} identifying tokens after`);
  // The check means something only if the reader can read these images: demand most strings read beforehand.
  assert.ok(readableBefore >= 0.8 * total, `tesseract read only ${readableBefore}/${total} strings on the unredacted images`);
  assert.deepEqual(leaks, []);
});

test('the check has teeth: boxes cut to half their width leave text tesseract reads', { skip }, async () => {
  assert.ok(version, 'CI=true and the tesseract CLI is missing: .ci/run must install tesseract-ocr');
  const detector = await loadTextDetector();
  const c = greyCases()[0];
  const halfBoxes = (await detector.detect(c.image)).map((box) => ({ ...box, width: Math.round(box.width / 2) }));
  const redacted = { ...c.image, data: c.image.data.slice() };
  fillRectsWithSurround(redacted, halfBoxes);
  const lines = tesseractReadLines(redacted, c.truth.map(lineRegion)).map(normalise);
  const leaked = c.truth.flatMap((truth, i) => identifyingTokens(truth.text).filter((token) => lines[i].includes(token)));
  assert.ok(leaked.length >= 2, `expected tesseract to read the unredacted halves, read ${JSON.stringify(leaked)}`);
});
