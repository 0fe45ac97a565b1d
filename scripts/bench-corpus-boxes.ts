// Boxes text detection would blank on the corpus's at-risk images (frames ≤ 8, ≤ 1024²): per file the rectangles,
// the boxes dropped as not writing and the largest share of a frame blanked, and how many files pass the review
// limit (MAX_BLANKED_SHARE). The corpus holds few burned-in labels, so most rectangles here are false boxes; a
// measurement script, not a test (about 50 s of CPU).
//
//   npx tsx scripts/bench-corpus-boxes.ts [--json out.json]

import { writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectTextInFile, MAX_BLANKED_SHARE } from '../src/anonymize/burned-in/detect.js';
import { basicProfilePlan } from '../src/config/build.js';
import { HeaderTerms } from '../src/identifying/index.js';
import { readDicomFile } from '../src/dicom/part10.js';
import { describeImage } from '../src/pixels/index.js';
import { corpusAtRiskFiles } from './bench-workloads.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS_DIR = resolve(process.env.DICOM_CORPUS_DIR ?? join(REPO_ROOT, '..', 'shared', 'corpus'));

const plan = basicProfilePlan([]);
const atRisk = corpusAtRiskFiles(CORPUS_DIR, plan.pixels.gate);
const rows: { file: string; rectangles: number; rejected: number; largestBlankedShare: number }[] = [];
for (const path of atRisk) {
  let file;
  try {
    file = readDicomFile(path);
    const image = describeImage(file.dataset, file.datasetSource);
    if (image.numberOfFrames > 8 || image.rows * image.columns > 1024 * 1024) continue;
    const found = await detectTextInFile(file, plan.pixels.detection, HeaderTerms.EMPTY);
    rows.push({ file: relative(CORPUS_DIR, path), rectangles: found.rectangles.length, rejected: found.rejected, largestBlankedShare: +found.largestBlankedShare.toFixed(2) });
  } catch {
    // undecodable or unsupported here: the batch quarantines those, nothing to measure
  } finally {
    file?.close();
  }
}
const result = {
  atRiskFiles: atRisk.length,
  searched: rows.length,
  rectangles: rows.reduce((n, r) => n + r.rectangles, 0),
  rejected: rows.reduce((n, r) => n + r.rejected, 0),
  overReviewLimit: rows.filter((r) => r.largestBlankedShare > MAX_BLANKED_SHARE).length,
};
console.table(rows.filter((r) => r.rectangles > 0 || r.rejected > 0));
console.table(result);
const at = process.argv.indexOf('--json');
if (at >= 0) writeFileSync(process.argv[at + 1], JSON.stringify({ rows, ...result }, null, 2) + '\n');
