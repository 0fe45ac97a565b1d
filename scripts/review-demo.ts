// `npm run review:demo`: a review page over the bundled examples and one over some corpus files, each with a PNG
// screenshot into docs/ (review-page.png, review-corpus.png) for the README. The pages themselves go to a temporary
// folder (printed). The examples carry no burned-in text, so the demo adds one pixel rule (the top band of the CT
// slices) to show how a redaction is outlined; over the corpus, a rule blanks the top tenth of ultrasound images.
// Needs Chromium (/usr/bin/chromium or CHROMIUM_PATH) for the screenshots.

import { existsSync, mkdtempSync, mkdirSync, copyFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { basicProfilePlan } from '../src/config/build.js';
import { runBatch } from '../src/batch/run.js';
import type { PixelRule } from '../src/plan/plan.js';
import { writeReviewPage } from '../src/review/index.js';
import { Modality } from '../src/dicom/tags.generated.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS_DIR = resolve(process.env.DICOM_CORPUS_DIR ?? join(REPO_ROOT, '..', 'shared', 'corpus'));
const SECRET = { kind: 'text', text: 'review-demo-key: not for real data' } as const;

/** Public corpus files: CT, MR (multi-frame), CR MONOCHROME1, VOI LUT, RGB and JPEG 2000 ultrasound. */
const CORPUS_FILES = [
  'pydicom-data/693_J2KR.dcm', 'pydicom-data/MR2_J2KR.dcm', 'pydicom-data/emri_small.dcm', 'dwv/data/gdcm-CR-MONO1-10-chest.dcm',
  'pydicom-data/vlut_04.dcm', 'pydicom-data/US1_J2KR.dcm', 'dwv/data/gdcm-US-RGB-8-esopecho.dcm', 'dwv/data/multiframe-test1.dcm',
];

const band = (modality: string, height: number, origin: string): PixelRule => ({
  conditions: [{ tag: Modality, op: 'equals', value: modality }],
  regions: [{ kind: 'rectangle', units: 'fraction', x: 0, y: 0, width: 1, height }],
  origin,
});

async function page(name: string, input: string, rules: PixelRule[], work: string): Promise<string> {
  const plan = basicProfilePlan([]);
  plan.pixels = { ...plan.pixels, rules };
  const output = join(work, `${name}-out`), report = join(work, `${name}-run.json`), audit = join(work, `${name}-audit.jsonl`);
  await runBatch({ input, output, recursive: true, plan, secret: SECRET, jobs: 1, log: () => {}, reportPath: report, auditPath: audit });
  const html = join(work, `${name}.html`);
  await writeReviewPage({ input, output, reportPath: report, auditPath: audit }, html);
  return html;
}

async function screenshot(html: string, png: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await tab.goto(pathToFileURL(html).href);
    await tab.waitForSelector('body[data-ready="true"]');
    // The summary's first lines, then the list of thumbnails.
    await tab.evaluate(() => document.querySelector('.controls')?.previousElementSibling?.scrollIntoView());
    await tab.screenshot({ path: png });
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dicomanon-review-demo-'));
  mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
  const examples = await page('examples', join(REPO_ROOT, 'examples'), [band('CT', 0.125, 'demo rule: the top band of the CT slices')], work);
  await screenshot(examples, join(REPO_ROOT, 'docs', 'review-page.png'));
  process.stdout.write(`examples: ${examples} → docs/review-page.png (${statSync(join(REPO_ROOT, 'docs', 'review-page.png')).size} bytes)\n`);
  if (!existsSync(join(CORPUS_DIR, 'manifest.json'))) {
    process.stdout.write(`corpus not found at ${CORPUS_DIR}: no corpus screenshot\n`);
    return;
  }
  const input = join(work, 'corpus-in');
  for (const f of CORPUS_FILES) {
    mkdirSync(dirname(join(input, f)), { recursive: true });
    copyFileSync(join(CORPUS_DIR, f), join(input, f));
  }
  const corpus = await page('corpus', input, [band('US', 0.1, 'demo rule: the top tenth of ultrasound images')], work);
  await screenshot(corpus, join(REPO_ROOT, 'docs', 'review-corpus.png'));
  process.stdout.write(`corpus: ${corpus} → docs/review-corpus.png (${statSync(join(REPO_ROOT, 'docs', 'review-corpus.png')).size} bytes)\n`);
}

await main();
