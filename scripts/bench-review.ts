// Time to build the review page for 1,000 and 10,000 instances (small generated CT/MR slices, scripts/bench-batch.ts's
// generator), anonymized first with --report and --audit (not timed). Timed: the page with verify run in it, the page
// from a verify report (verify not run), and, when Chromium is there, opening the page until its first list page is
// drawn. A measurement script, not a test.
//
//   npx tsx scripts/bench-review.ts            1,000 and 10,000
//   npx tsx scripts/bench-review.ts --quick    1,000 only

import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { basicProfilePlan } from '../src/config/build.js';
import { runBatch } from '../src/batch/run.js';
import { formatJson, verifyTrees } from '../src/verify/index.js';
import { writeReviewPage } from '../src/review/index.js';
import { generateSmallFiles } from './bench-workloads.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SECRET = { kind: 'text', text: 'bench-review-key-0123456789abcdef' } as const;

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

async function openTime(html: string): Promise<number | null> {
  if (!existsSync(CHROMIUM)) return null;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    const start = process.hrtime.bigint();
    await page.goto(pathToFileURL(html).href);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    return seconds(start);
  } finally {
    await browser.close();
  }
}

async function bench(count: number, work: string): Promise<void> {
  const input = join(work, `in-${count}`), output = join(work, `out-${count}`);
  const report = join(work, `run-${count}.json`), audit = join(work, `audit-${count}.jsonl`), findings = join(work, `findings-${count}.json`);
  mkdirSync(input, { recursive: true });
  generateSmallFiles(input, count);
  await runBatch({ input, output, recursive: true, plan: basicProfilePlan([]), secret: SECRET, jobs: availableParallelism(), log: () => {}, reportPath: report, auditPath: audit });
  const html = join(work, `review-${count}.html`);
  let start = process.hrtime.bigint();
  await writeReviewPage({ input, output, reportPath: report, auditPath: audit }, html);
  const withVerify = seconds(start);
  writeFileSync(findings, formatJson(verifyTrees({ input, output })));
  start = process.hrtime.bigint();
  await writeReviewPage({ input, output, reportPath: report, auditPath: audit, findingsPath: findings }, html);
  const fromFindings = seconds(start);
  const open = await openTime(html);
  process.stdout.write(
    `${String(count).padStart(6)} instances: page ${(statSync(html).size / 1e6).toFixed(1)} MB (audit ${(statSync(audit).size / 1e6).toFixed(0)} MB); ` +
    `build with verify ${withVerify.toFixed(1)} s, from verify's report ${fromFindings.toFixed(1)} s; ` +
    `opens in Chromium in ${open === null ? '(no chromium)' : `${open.toFixed(2)} s`}\n`,
  );
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const work = mkdtempSync(join(tmpdir(), 'dicomanon-bench-review-'));
  try {
    process.stdout.write(`review page build (${availableParallelism()} cores; thumbnails: every instance up to 1,000, else one per series)\n`);
    for (const count of quick ? [1000] : [1000, 10_000]) await bench(count, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
