// False boxes on text-free at-risk images, and missed text, through --burned-in redact's detection step
// (detectTextInFile): colour Doppler flow, echo, histology, a photograph-like scene and a drawing
// (test/helpers/text-free-colour.ts) and the grey text-free set (flat, gradient, speckle, discs). "Before" is
// the detector alone on the plain picture, as the step searched until issue 23; "after" is what the step now
// blanks. Missed text: strings of the first 8 grey text cases whose ink is not ≥ 90% covered by blanked rectangles.
// A measurement script, not a test; `npm run bench` runs it.
//
//   npx tsx scripts/bench-false-boxes.ts [--json out.json]

import { writeFileSync } from 'node:fs';
import { detectTextInFile } from '../src/anonymize/burned-in/detect.js';
import { basicProfilePlan } from '../src/config/build.js';
import { HeaderTerms } from '../src/identifying/index.js';
import { loadTextDetector } from '../src/ocr/index.js';
import { greyCases, textFreeImages } from '../test/helpers/text-cases.js';
import { textFreeColourPictures } from '../test/helpers/text-free-colour.js';
import { inkCoverage } from '../test/helpers/text-image.js';
import { textDicom } from '../test/anonymize/text-dicom.js';

const plan = basicProfilePlan([]).pixels.detection;
const detector = await loadTextDetector();
const rows: { image: string; before: number; after: number; rejected: number }[] = [];
for (const p of textFreeColourPictures(256)) {
  const before = (await detector.detect({ width: p.width, height: p.height, data: p.data, channels: 3 }, { minScore: plan.minScore })).length;
  const file = await textDicom({ n: 1, width: p.width, height: p.height, frames: [p.data], photometric: 'RGB', regions: p.region ? [p.region] : undefined });
  const found = await detectTextInFile(file, plan, HeaderTerms.EMPTY);
  file.close();
  rows.push({ image: p.name, before, after: found.rectangles.length, rejected: found.rejected });
}
for (const { name, image } of textFreeImages()) {
  const before = (await detector.detect(image, { minScore: plan.minScore })).length;
  const file = await textDicom({ n: 2, width: image.width, height: image.height, frames: [image.data] });
  const found = await detectTextInFile(file, plan, HeaderTerms.EMPTY);
  file.close();
  rows.push({ image: name, before, after: found.rectangles.length, rejected: found.rejected });
}
let strings = 0, missedBefore = 0, missedAfter = 0;
for (const c of greyCases().slice(0, 8)) {
  const before = await detector.detect(c.image, { minScore: plan.minScore });
  const file = await textDicom({ n: 3, width: c.image.width, height: c.image.height, frames: [c.image.data] });
  const found = await detectTextInFile(file, plan, HeaderTerms.EMPTY);
  file.close();
  for (const truth of c.truth) {
    strings++;
    if (inkCoverage(truth, before, c.image.width) < 0.9) missedBefore++;
    if (inkCoverage(truth, found.rectangles, c.image.width) < 0.9) missedAfter++;
  }
}
const sum = (k: 'before' | 'after'): number => rows.reduce((n, r) => n + r[k], 0);
const result = {
  textFreeImages: rows.length,
  falseBoxesPerImageBefore: +(sum('before') / rows.length).toFixed(2),
  falseBoxesPerImageAfter: +(sum('after') / rows.length).toFixed(2),
  strings, missedBefore, missedAfter,
};
console.table(rows);
console.table(result);
const at = process.argv.indexOf('--json');
if (at >= 0) writeFileSync(process.argv[at + 1], JSON.stringify({ rows, ...result }, null, 2) + '\n');
