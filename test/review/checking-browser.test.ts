// The review page as a person checking thousands of images uses it, in a real browser (Debian's Chromium through
// playwright-core) on a phone (390 × 844) and a desk (1400 × 1000): the cine shows the frames the run blanked (2, 5
// and 7) with their outlines plus the first and last; a thumbnail enlarges by click and by key (Enter, Space) to the
// frame at the image's own resolution, arrows move and Escape closes; the summary reads at 390 px; the page says the
// pixels were not verified; no console error, no request. Screenshots go to $REVIEW_SCREENSHOTS (e.g. docs), else to
// the test's temporary folder.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { collectReview, renderPage } from '../../src/review/index.js';
import { openBrowser, skipUnlessChromium } from '../helpers/browser.js';
import { CINE, CINE_TEXT, checkingRun } from './checking-run.js';
import { manyImages, type RunFolder } from './helpers.js';

const skip = skipUnlessChromium();
let browser: Browser | undefined;
let runFolder: RunFolder;
let pagePath: string;

before(async () => {
  runFolder = await checkingRun();
  pagePath = join(runFolder.work, 'review.html');
  const data = await collectReview({ input: runFolder.input, output: runFolder.output, reportPath: runFolder.report, auditPath: runFolder.audit });
  writeFileSync(pagePath, renderPage(data));
});
after(async () => {
  await browser?.close();
  rmSync(runFolder.work, { recursive: true, force: true });
});

const screenshotDir = (): string => {
  const dir = process.env.REVIEW_SCREENSHOTS ? resolve(process.env.REVIEW_SCREENSHOTS) : join(runFolder.work, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
};

interface Opened {
  page: Page;
  errors: string[];
  requests: string[];
}

async function open(width: number, height: number, path = pagePath): Promise<Opened> {
  browser ??= await openBrowser();
  const page = await browser.newPage({ viewport: { width, height } });
  const opened: Opened = { page, errors: [], requests: [] };
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') opened.errors.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => opened.errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => opened.requests.push(r.url()));
  await page.goto(pathToFileURL(path).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return opened;
}

function assertQuiet(opened: Opened, path = pagePath): void {
  const self = pathToFileURL(path).href;
  assert.deepEqual(opened.requests.filter((u) => u !== self && !u.startsWith('data:')), [], 'no request but the page (and its data: images)');
  assert.deepEqual(opened.errors, [], 'no console error, no CSP violation, no exception');
}

/** What the viewer shows: open or not, its title, and its image's natural and drawn size with the outlines' boxes. */
async function viewerState(page: Page): Promise<{ open: boolean; title: string; natural: number[]; drawn: number[]; outlines: number[][] }> {
  return page.evaluate(() => {
    const viewer = document.getElementById('viewer')!;
    const img = viewer.querySelector('img');
    const box = img?.getBoundingClientRect();
    return {
      open: !viewer.hidden && getComputedStyle(viewer).display !== 'none',
      title: document.getElementById('viewer-title')!.textContent ?? '',
      natural: img ? [img.naturalWidth, img.naturalHeight] : [],
      drawn: box ? [box.width, box.height] : [],
      outlines: [...viewer.querySelectorAll('.redaction')].map((o) => {
        const r = o.getBoundingClientRect();
        return [r.left - box!.left, r.top - box!.top, r.width, r.height];
      }),
    };
  });
}

/** Readable at this width: no horizontal scrolling of the page, the summary's counts on one line each. */
async function assertReadable(page: Page, width: number): Promise<void> {
  const layout = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    // Lines each count's text takes (a range has one box per line).
    counts: [...document.querySelectorAll('table.summary td.count')].map((td) => {
      const range = document.createRange();
      range.selectNodeContents(td);
      return [td.textContent, new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size] as const;
    }),
  }));
  assert.ok(layout.scroll <= width, `the page fits ${width} px (scroll width ${layout.scroll})`);
  assert.ok(layout.counts.length >= 12 && layout.counts.every(([, lines]) => lines === 1), `every count on one line: ${JSON.stringify(layout.counts)}`);
}

const cineCard = '.card:has(.path:text-is("echo/cine.dcm"))';

for (const [width, height] of [[390, 844], [1400, 1000]] as const) {
  test(`${width}×${height}: the cine's boxed frames shown, enlarge by click and by key at the image's own resolution, readable, quiet`, { skip }, async () => {
    const opened = await open(width, height);
    const { page } = opened;
    // The frames shown: 1, 2, 5, 7, 8 (0-based 0, 1, 4, 6, 7); outlines exactly on the three with text.
    const frames = await page.$$eval(`${cineCard} .thumb`, (els) => els.map((e) => [Number(e.getAttribute('data-frame')), e.querySelectorAll('.redaction').length]));
    assert.deepEqual(frames, [[0, 0], [1, 1], [4, 1], [6, 1], [7, 0]], 'first, the three boxed frames (outlined), last');
    await assertReadable(page, width);
    // Pixels were not verified, and each thumbnail's card says so.
    assert.match((await page.textContent('[data-count="pixelsVerified"]'))!, /^no: attributes only$/);
    assert.match((await page.textContent(`${cineCard} .verify-status`))!, /pixels not verified/);
    await page.screenshot({ path: join(screenshotDir(), `review-${width}.png`), fullPage: width < 1000 });

    // Click frame 2: the viewer shows it at 160 × 120 (the image's own size), the box where it was blanked.
    await page.click(`${cineCard} .thumb[data-frame="1"]`);
    let state = await viewerState(page);
    assert.ok(state.open, 'the viewer opens on click');
    assert.match(state.title, /echo\/cine\.dcm · frame 2 of 8 · 160×120 \(own resolution\)/);
    assert.deepEqual(state.natural, [CINE.columns, CINE.rows], 'the full-size image, not the thumbnail');
    assert.deepEqual(state.drawn, [CINE.columns, CINE.rows], 'drawn at its own resolution');
    assert.equal(state.outlines.length, 1);
    const want = [CINE_TEXT.x, CINE_TEXT.y, CINE_TEXT.width, CINE_TEXT.height];
    state.outlines[0].forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 0.6, `outline ${state.outlines[0].join(',')} ≈ ${want.join(',')}`));
    if (width === 1400) await page.screenshot({ path: join(screenshotDir(), 'review-enlarged.png') });
    // Arrow keys move through the page's frames; Escape closes and gives the focus back to the thumbnail.
    await page.keyboard.press('ArrowRight');
    assert.match((await viewerState(page)).title, /frame 5 of 8/);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.match((await viewerState(page)).title, /frame 1 of 8/);
    await page.keyboard.press('Escape');
    assert.equal((await viewerState(page)).open, false, 'Escape closes');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-frame')), '0', 'focus back on the frame shown last');

    // By key alone: Tab to a thumbnail, Enter opens it; Escape; Space opens the focused one.
    await page.focus(`${cineCard} .thumb[data-frame="6"]`);
    await page.keyboard.press('Enter');
    state = await viewerState(page);
    assert.ok(state.open && /frame 7 of 8/.test(state.title), `Enter opens the focused frame: ${state.title}`);
    if (width === 390) await page.screenshot({ path: join(screenshotDir(), 'review-enlarged-390.png') });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Space');
    state = await viewerState(page);
    assert.ok(state.open && /frame 7 of 8/.test(state.title), 'Space opens it too');
    await page.click('#viewer-close');
    assert.equal((await viewerState(page)).open, false, 'the close button closes');
    assertQuiet(opened);
    for (const png of ['review-' + width + '.png']) assert.ok(readFileSync(join(screenshotDir(), png)).subarray(1, 4).toString() === 'PNG', `${png} written`);
    await page.close();
  });
}

test('390×844: a page of 120 outputs (counts of three digits) reads on a phone', { skip }, async () => {
  const dir = manyImages(120);
  try {
    const path = join(runFolder.work, 'many.html');
    writeFileSync(path, renderPage(await collectReview({ input: dir, output: dir, verify: false, thumbnails: 'none' })));
    const opened = await open(390, 844, path);
    assert.equal(await opened.page.textContent('[data-count="outputs"]'), '120');
    await assertReadable(opened.page, 390);
    assertQuiet(opened, path);
    await opened.page.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
