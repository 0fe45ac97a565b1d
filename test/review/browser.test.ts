// The review page in a real browser (Debian's Chromium through playwright-core): it loads with no console error and
// no request but the page itself; the counts shown are the report's; every thumbnail decodes; redactions are
// outlined where they happened; filtering and paging work; and hostile values in the files run nothing.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { collectReview, renderPage } from '../../src/review/index.js';
import { openBrowser, skipUnlessChromium } from '../helpers/browser.js';
import { TEXT_BOX } from '../anonymize/burned-in-helpers.js';
import { anonymizedRun, hostileFolder, manyImages, type RunFolder } from './helpers.js';
import { readRunReport } from '../../src/records/index.js';

const skip = skipUnlessChromium();
let browser: Browser | undefined;
let runFolder: RunFolder;
const cleanup: string[] = [];

before(async () => {
  runFolder = await anonymizedRun();
  cleanup.push(runFolder.work);
});
after(async () => {
  await browser?.close();
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Every URL the page asked for. */
  requests: string[];
  dialogs: string[];
}

/** Opens `html` (written to a file) and waits for its script to have rendered the first page. */
async function open(html: string, name: string): Promise<Opened> {
  browser ??= await openBrowser();
  const path = join(runFolder.work, name);
  writeFileSync(path, html);
  const page = await browser.newPage();
  const opened: Opened = { page, errors: [], requests: [], dialogs: [] };
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') opened.errors.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => opened.errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => opened.requests.push(r.url()));
  page.on('dialog', (d) => { opened.dialogs.push(d.message()); void d.dismiss(); });
  await page.goto(pathToFileURL(path).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return opened;
}

/** Only the page itself was requested, and nothing complained. */
function assertQuiet(opened: Opened, html: string): void {
  const self = pathToFileURL(join(runFolder.work, html)).href;
  assert.deepEqual(opened.requests.filter((u) => u !== self && !u.startsWith('data:')), [], 'no request but the page (and its data: images)');
  assert.deepEqual(opened.errors, [], 'no console error, no CSP violation, no exception');
  assert.deepEqual(opened.dialogs, [], 'no dialog');
}

test('the page over an anonymize run: quiet, counts of the report, thumbnails decode, the redaction outlined, filter works', { skip }, async () => {
  const data = await collectReview({ input: runFolder.input, output: runFolder.output, reportPath: runFolder.report, auditPath: runFolder.audit });
  const opened = await open(renderPage(data), 'run.html');
  const { page } = opened;
  const { summary } = readRunReport(runFolder.report);
  for (const key of ['ok', 'failed', 'skipped', 'quarantined'] as const) {
    assert.equal(await page.textContent(`[data-count="${key}"]`), String(summary[key]), `${key} shown as in the report`);
  }
  // 6 outputs and the quarantined file, one card each; every thumbnail decoded.
  assert.equal(await page.locator('article.card').count(), 7);
  const widths = await page.$$eval('.thumb img', (imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
  assert.equal(widths.length, 6, 'one thumbnail per output image; none for the quarantined file');
  assert.ok(widths.every((w) => w > 0), `every thumbnail decodes: ${widths.join(', ')}`);
  // The redaction outline sits on the ultrasound only, where the rectangle is (64 × 48 image, thumbnail 64 × 48).
  const outlines = await page.$$eval('.redaction', (els) => els.map((e) => {
    const box = e.getBoundingClientRect(), img = e.parentElement!.querySelector('img')!.getBoundingClientRect();
    return { card: e.closest('article')!.querySelector('.path')!.textContent, x: box.left - img.left, y: box.top - img.top, width: box.width, height: box.height };
  }));
  assert.equal(outlines.length, 1, 'one outline');
  assert.equal(outlines[0].card, join('echo', 'us.dcm'));
  for (const k of ['x', 'y', 'width', 'height'] as const) assert.ok(Math.abs(outlines[0][k] - TEXT_BOX[k]) < 0.6, `outline ${k} ${outlines[0][k]} ≈ ${TEXT_BOX[k]}`);
  assert.match((await page.textContent('.status-quarantined'))!, /Quarantined: may carry burned-in text/);
  // Filters.
  await page.selectOption('#filter-kind', 'redacted');
  assert.equal(await page.locator('article.card').count(), 1);
  await page.selectOption('#filter-kind', 'quarantined');
  assert.deepEqual(await page.$$eval('article.card .path', (els) => els.map((e) => e.textContent)), ['dose-screen.dcm']);
  await page.selectOption('#filter-kind', 'all');
  await page.fill('#filter-text', 'mr/');
  assert.equal(await page.locator('article.card').count(), 2, 'text filter: the two MR images');
  // The attribute table opens and lists the audit's actions.
  await page.fill('#filter-text', '');
  await page.click('section.series >> nth=0 >> details summary');
  assert.ok(await page.locator('section.series >> nth=0 >> details tr.action-remove').count() > 0, 'removed attributes listed');
  assertQuiet(opened, 'run.html');
});

test('paging: 130 instances in pages of 48', { skip }, async () => {
  const dir = manyImages(130);
  cleanup.push(dir);
  const opened = await open(renderPage(await collectReview({ input: dir, output: dir, verify: false })), 'many.html');
  const { page } = opened;
  assert.equal(await page.locator('article.card').count(), 48);
  assert.match((await page.textContent('#page-info'))!, /^Page 1 of 3 · 130 of 130 instances$/);
  await page.click('#next');
  await page.click('#next');
  assert.equal(await page.locator('article.card').count(), 34, 'last page');
  assert.ok(await page.isDisabled('#next'), 'no page after the last');
  assert.equal(await page.textContent('article.card >> nth=0 >> .path'), 'img-0097.dcm');
  await page.click('#prev');
  assert.equal(await page.textContent('article.card >> nth=0 >> .path'), 'img-0049.dcm');
  await page.fill('#filter-text', 'img-012');
  assert.equal(await page.locator('article.card').count(), 10, 'img-0120 … img-0129');
  assert.match((await page.textContent('#page-info'))!, /^Page 1 of 1 · 10 of 130 instances$/);
  const widths = await page.$$eval('.thumb img', (imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
  assert.ok(widths.length === 10 && widths.every((w) => w === 64), `thumbnails decode: ${widths.join(', ')}`);
  assertQuiet(opened, 'many.html');
});

test('hostile values (Patient Name, private creator, Series Description, file names with markup) run nothing', { skip }, async () => {
  const dir = hostileFolder();
  cleanup.push(dir);
  for (const showValues of [true, false]) {
    const name = `hostile-${showValues}.html`;
    const opened = await open(renderPage(await collectReview({ input: dir, output: dir, showValues })), name);
    const { page } = opened;
    await page.click('section.series >> nth=0 >> details summary');
    await page.waitForTimeout(200); // let any image error handler that got in fire (none should exist)
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'no injected script ran');
    assert.equal(await page.locator('#results img:not(.thumb img), #results svg, #results script').count(), 0, 'no element from the values');
    const text = await page.textContent('#results');
    if (showValues) {
      assert.ok(text!.includes('<script>window.__pwned=1</script>'), 'Patient Name shown as text');
      assert.ok(text!.includes('"><img src=x onerror="window.__pwned=2">'), 'private creator shown as text');
    }
    assert.ok(text!.includes('"><img src=x onerror=window.__pwned=4>.dcm'), 'file name shown as text');
    assertQuiet(opened, name);
  }
});
