// Runs Debian's `tesseract` CLI on an image, as an OCR independent of the detector under test.
//
// Tesseract reads dark text on light ground at ~30 px best, and its page layout analysis loses lines on mixed
// grounds (a light band on a dark image), so besides whole pages it reads single-line crops, 2× enlarged, as is
// and inverted: the check is only as strong as the reader. OMP_THREAD_LIMIT=1 because its OpenMP threads make it
// 3× slower on a busy machine.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PixelImage, PixelRect } from '../../src/ocr/index.js';
import { writePnm } from './text-image.js';

/** The tesseract version line, or null when the tool is not installed. */
export function tesseractVersion(): string | null {
  const run = spawnSync('tesseract', ['--version'], { encoding: 'utf8' });
  if (run.error || run.status !== 0) return null;
  return (run.stdout || run.stderr).split('\n')[0];
}

function toGrey(image: PixelImage): PixelImage {
  if ((image.channels ?? 1) === 1) return image;
  const data = new Uint8Array(image.width * image.height);
  for (let i = 0; i < data.length; i++) data[i] = Math.round((image.data[i * 3] * 299 + image.data[i * 3 + 1] * 587 + image.data[i * 3 + 2] * 114) / 1000);
  return { width: image.width, height: image.height, data };
}

function scaled2x(image: PixelImage): PixelImage {
  const width = image.width * 2, height = image.height * 2;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.max(0, (y - 0.5) / 2)), y0 = Math.floor(sy), y1 = Math.min(image.height - 1, y0 + 1), fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.max(0, (x - 0.5) / 2)), x0 = Math.floor(sx), x1 = Math.min(image.width - 1, x0 + 1), fx = sx - x0;
      const at = (yy: number, xx: number) => image.data[yy * image.width + xx];
      data[y * width + x] = Math.round((at(y0, x0) * (1 - fx) + at(y0, x1) * fx) * (1 - fy) + (at(y1, x0) * (1 - fx) + at(y1, x1) * fx) * fy);
    }
  }
  return { width, height, data };
}

function inverted(image: PixelImage): PixelImage {
  return { ...image, data: image.data.map((v) => 255 - v) };
}

function crop(image: PixelImage, rect: PixelRect): PixelImage {
  const x0 = Math.max(0, rect.x), y0 = Math.max(0, rect.y);
  const x1 = Math.min(image.width, rect.x + rect.width), y1 = Math.min(image.height, rect.y + rect.height);
  const data = new Uint8Array((x1 - x0) * (y1 - y0));
  for (let y = y0; y < y1; y++) data.set(image.data.subarray(y * image.width + x0, y * image.width + x1), (y - y0) * (x1 - x0));
  return { width: x1 - x0, height: y1 - y0, data };
}

/**
 * One tesseract process for many images (its list-file input: the language model loads once), one output per
 * image. Pages come back separated by form feeds.
 */
function runTesseract(images: PixelImage[], pageSegmentation: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'ocr-tesseract-'));
  try {
    const paths = images.map((image, i) => {
      const path = join(dir, `${i}.pgm`);
      writePnm(path, image);
      return path;
    });
    const list = join(dir, 'list.txt');
    writeFileSync(list, paths.join('\n') + '\n');
    const output = execFileSync('tesseract', [list, '-', '--psm', pageSegmentation], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 64 << 20,
    });
    const pages = output.split('\f');
    if (pages.length < images.length) throw new Error(`tesseract returned ${pages.length} pages for ${images.length} images`);
    return pages.slice(0, images.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What tesseract reads on the whole image, as is and inverted (--psm 11: sparse text, as annotations are). Throws if it fails. */
export function tesseractReadPage(image: PixelImage): string {
  const grey = toGrey(image);
  return runTesseract([grey, inverted(grey)], '11').join('\n');
}

/** What tesseract reads in each region, read as a single line (--psm 7), 2× enlarged, as is and inverted. */
export function tesseractReadLines(image: PixelImage, regions: readonly PixelRect[]): string[] {
  const grey = toGrey(image);
  const crops = regions.flatMap((region) => {
    const big = scaled2x(crop(grey, region));
    return [big, inverted(big)];
  });
  const pages = runTesseract(crops, '7');
  return regions.map((_, i) => pages[2 * i] + '\n' + pages[2 * i + 1]);
}
/** Upper-case letters and digits only: what is left of a string whatever tesseract does with punctuation and spaces. */
export function normalise(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * The identifying pieces of a string that must not be readable after redaction: each run of letters or digits of
 * 4 or more characters (SMITH, JOHN, 00123456, 1987, HOSPITAL …). Shorter pieces (ID, 03, 14) occur by chance.
 */
export function identifyingTokens(text: string): string[] {
  return text.toUpperCase().split(/[^A-Z0-9]+/).filter((token) => token.length >= 4);
}
