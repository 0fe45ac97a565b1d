// Draws text with real fonts into 8-bit greyscale or RGB buffers and returns each string's ground truth (box and ink).
//
// Each string is rasterised alone (white on transparent) so its ink — the pixels of coverage ≥ 50% — is known
// exactly, then blended onto a background we make ourselves (flat, gradient, ultrasound-like speckle), so tests
// can say how much of every string's ink the detector's boxes cover.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import type { PixelImage, PixelRect } from '../../src/ocr/index.js';
import { mulberry32 } from '../../scripts/make-examples.js';

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/** Four faces that differ in shape (proportional, monospaced, serif, condensed bold); alias → file. */
export const FONTS = {
  'Test Sans': 'DejaVuSans.ttf',
  'Test Mono': 'DejaVuSansMono.ttf',
  'Test Serif': 'DejaVuSerif.ttf',
  'Test Condensed Bold': 'DejaVuSansCondensed-Bold.ttf',
} as const;
export type FontName = keyof typeof FONTS;
export const FONT_NAMES = Object.keys(FONTS) as FontName[];

let fontsRegistered = false;
function registerFonts(): void {
  if (fontsRegistered) return;
  for (const [alias, file] of Object.entries(FONTS)) {
    if (!GlobalFonts.registerFromPath(join(FONT_DIR, file), alias)) throw new Error(`could not load font ${file}`);
  }
  fontsRegistered = true;
}

export type Background =
  | { kind: 'flat'; value: number }
  | { kind: 'gradient'; from: number; to: number }
  /** Ultrasound-like: a fan-shaped sector of speckle (grains a few pixels wide) on a near-black field. */
  | { kind: 'speckle'; mean: number; seed: number };

export interface TextItem {
  text: string;
  font: FontName;
  /** Font size in pixels (em size; capitals are ~0.73 of it). */
  size: number;
  /** Top-left of the string's ink box, in image pixels. */
  x: number;
  y: number;
  /** Grey value of the text, 0..255. */
  value: number;
  /** Draw a solid band of this grey behind the text (like a burned-in annotation strip), padded by `size / 3`. */
  band?: number;
}

export interface DrawnText {
  text: string;
  font: FontName;
  size: number;
  /** Light text on a darker ground, or dark on light. */
  polarity: 'light-on-dark' | 'dark-on-light';
  /** Bounding box of the ink. */
  box: PixelRect;
  /** Image pixel indices (y * width + x) of the ink. */
  ink: Int32Array;
}

export interface TextImage {
  image: PixelImage;
  truth: DrawnText[];
}

export interface TextImageSpec {
  width: number;
  height: number;
  background: Background;
  items: TextItem[];
  /** Produce RGB instead of greyscale: the same scene tinted, warm on bright pixels and cool on dark ones. */
  rgb?: boolean;
}

/** Deterministic PRNG (mulberry32, shared with the sample data): the same seed draws the same speckle everywhere. */
export const seededRandom = mulberry32;

function paintBackground(grey: Float32Array, width: number, height: number, background: Background): void {
  if (background.kind === 'flat') grey.fill(background.value);
  else if (background.kind === 'gradient') {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) grey[y * width + x] = background.from + ((background.to - background.from) * (x + y)) / (width + height);
    }
  } else {
    const random = seededRandom(background.seed);
    // Speckle is multiplicative noise with grains a few pixels across: exponential noise, box-blurred twice
    // (radius 2), scaled to the fan's mean brightness; outside a fan-shaped sector the field is nearly black.
    let noise: Float32Array = new Float32Array(width * height).map(() => -Math.log(1 - random()));
    for (let pass = 0; pass < 2; pass++) noise = boxBlur(noise, width, height, 2);
    const cx = width / 2, cy = -height * 0.1, r = height * 1.05;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const angle = Math.atan2(x - cx, y - cy);
        const inFan = Math.hypot(x - cx, y - cy) < r && Math.abs(angle) < 0.6;
        const contrast = (noise[y * width + x] - 1) * 2.2 + 1; // widen the blurred noise back to speckle-like contrast
        grey[y * width + x] = Math.max(0, Math.min(255, (inFan ? background.mean : 8) * contrast));
      }
    }
  }
}

/** Separable box blur with the given radius, edges clamped. */
function boxBlur(source: Float32Array, width: number, height: number, radius: number): Float32Array {
  const horizontal = new Float32Array(source.length), out = new Float32Array(source.length);
  const n = 2 * radius + 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += source[y * width + Math.min(width - 1, Math.max(0, x + k))];
      horizontal[y * width + x] = sum / n;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += horizontal[Math.min(height - 1, Math.max(0, y + k)) * width + x];
      out[y * width + x] = sum / n;
    }
  }
  return out;
}

/** Width, ascent and descent of a string's ink at `size` px in `font`. */
export function measureText(text: string, font: FontName, size: number): { width: number; ascent: number; descent: number; left: number } {
  registerFonts();
  const context = createCanvas(1, 1).getContext('2d');
  context.font = `${size}px "${font}"`;
  const m = context.measureText(text);
  return { width: m.actualBoundingBoxRight + m.actualBoundingBoxLeft, ascent: m.actualBoundingBoxAscent, descent: m.actualBoundingBoxDescent, left: m.actualBoundingBoxLeft };
}

/** Renders one string alone: its coverage (0..1) on a canvas just big enough, with the ink box's offset. */
function rasterise(item: TextItem): { coverage: Float32Array; width: number; height: number } {
  const m = measureText(item.text, item.font, item.size);
  const width = Math.ceil(m.width) + 4, height = Math.ceil(m.ascent + m.descent) + 4;
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.font = `${item.size}px "${item.font}"`;
  context.fillStyle = '#fff';
  context.fillText(item.text, 2 + m.left, 2 + m.ascent);
  const rgba = context.getImageData(0, 0, width, height).data;
  const coverage = new Float32Array(width * height);
  for (let i = 0; i < coverage.length; i++) coverage[i] = rgba[i * 4 + 3] / 255;
  return { coverage, width, height };
}

/** Draws the spec; text is clipped to the image. */
export function drawTextImage(spec: TextImageSpec): TextImage {
  const { width, height } = spec;
  const grey = new Float32Array(width * height);
  paintBackground(grey, width, height, spec.background);
  const truth: DrawnText[] = [];
  for (const item of spec.items) {
    const { coverage, width: w, height: h } = rasterise(item);
    const ox = Math.round(item.x) - 2, oy = Math.round(item.y) - 2;
    if (item.band !== undefined) {
      const pad = Math.ceil(item.size / 3);
      for (let y = Math.max(0, oy - pad); y < Math.min(height, oy + h + pad); y++) {
        for (let x = Math.max(0, ox - pad); x < Math.min(width, ox + w + pad); x++) grey[y * width + x] = item.band;
      }
    }
    const ink: number[] = [];
    let minX = width, minY = height, maxX = -1, maxY = -1, groundSum = 0;
    for (let y = 0; y < h; y++) {
      const iy = oy + y;
      if (iy < 0 || iy >= height) continue;
      for (let x = 0; x < w; x++) {
        const ix = ox + x, a = coverage[y * w + x];
        if (ix < 0 || ix >= width || a === 0) continue;
        const at = iy * width + ix;
        if (a >= 0.5) {
          ink.push(at);
          groundSum += grey[at];
          minX = Math.min(minX, ix); maxX = Math.max(maxX, ix); minY = Math.min(minY, iy); maxY = Math.max(maxY, iy);
        }
        grey[at] = grey[at] * (1 - a) + item.value * a;
      }
    }
    if (ink.length === 0) continue;
    const ground = groundSum / ink.length;
    truth.push({
      text: item.text, font: item.font, size: item.size,
      polarity: item.value > ground ? 'light-on-dark' : 'dark-on-light',
      box: { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 },
      ink: Int32Array.from(ink),
    });
  }
  const data = new Uint8Array(width * height * (spec.rgb ? 3 : 1));
  if (!spec.rgb) for (let i = 0; i < grey.length; i++) data[i] = Math.round(Math.max(0, Math.min(255, grey[i])));
  else {
    // A colour rendering of the same scene: warm tint on bright pixels, cool on dark, like a coloured overlay.
    for (let i = 0; i < grey.length; i++) {
      const v = Math.max(0, Math.min(255, grey[i]));
      data[i * 3] = Math.round(v);
      data[i * 3 + 1] = Math.round(v * 0.85 + 20 * (1 - v / 255));
      data[i * 3 + 2] = Math.round(v * 0.55 + 60 * (1 - v / 255));
    }
  }
  return { image: { width, height, data, channels: spec.rgb ? 3 : 1 }, truth };
}

/** Writes a binary PGM (greyscale) or PPM (RGB): the format is a short header and the raw bytes, tesseract reads both. */
export function writePnm(path: string, image: PixelImage): void {
  const rgb = (image.channels ?? 1) === 3;
  const header = Buffer.from(`${rgb ? 'P6' : 'P5'}\n${image.width} ${image.height}\n255\n`, 'ascii');
  writeFileSync(path, Buffer.concat([header, Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength)]));
}

/**
 * Fills each rectangle with the median of the pixels on the ring just outside it (per channel), in place: a
 * redaction that leaves no black block for a reader to see, so stroke fringes left outside a box would stand out.
 */
export function fillRectsWithSurround(image: PixelImage, rects: readonly PixelRect[]): void {
  const channels = image.channels ?? 1;
  const fills = rects.map((r) => {
    const x0 = Math.max(0, r.x - 1), y0 = Math.max(0, r.y - 1);
    const x1 = Math.min(image.width - 1, r.x + r.width), y1 = Math.min(image.height - 1, r.y + r.height);
    const ring: number[][] = Array.from({ length: channels }, () => []);
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        if (y !== y0 && y !== y1 && x !== x0 && x !== x1) continue;
        for (let c = 0; c < channels; c++) ring[c].push(image.data[(y * image.width + x) * channels + c]);
      }
    }
    return ring.map((values) => values.sort((a, b) => a - b)[values.length >> 1] ?? 0);
  });
  rects.forEach((r, i) => {
    for (let y = Math.max(0, r.y); y < Math.min(image.height, r.y + r.height); y++) {
      for (let x = Math.max(0, r.x); x < Math.min(image.width, r.x + r.width); x++) {
        for (let c = 0; c < channels; c++) image.data[(y * image.width + x) * channels + c] = fills[i][c];
      }
    }
  });
}

/** Fraction of a string's ink pixels that lie inside at least one of the boxes. */
export function inkCoverage(truth: DrawnText, boxes: readonly PixelRect[], imageWidth: number): number {
  let covered = 0;
  for (const at of truth.ink) {
    const x = at % imageWidth, y = (at - x) / imageWidth;
    if (boxes.some((b) => x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height)) covered++;
  }
  return covered / truth.ink.length;
}
