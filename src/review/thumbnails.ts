// Thumbnails of an output image: the frames a reviewer must see (the ones the run blanked boxes on, plus the first and
// last; first, middle and last when no box names a frame), shrunk (box average) to at most `size` pixels on the longer
// side, windowed as a viewer would (pixels/display.ts: greyDisplay, applyVoi), as PNG data: URIs; and, while the
// page's budget lasts, the same frames at the image's own resolution for the page to enlarge. Frames are decoded by
// the pixel layer (every transfer syntax it supports), one at a time.

import type { DicomFile } from '../dicom/part10.js';
import { readFrame, type PixelFrame } from '../pixels/frames.js';
import { describeImage, type ImageDescription } from '../pixels/image.js';
import { applyVoi, greyDisplay, paletteEntry, readPalette, sampleIndexer, storedSamples, ybrToRgb } from '../pixels/display.js';
import type { Rectangle } from '../geometry/rectangle.js';
import { encodePng, pngDataUri } from './png.js';

export interface Thumbnail {
  /** 0-based frame number. */
  frame: number;
  width: number;
  height: number;
  /** data:image/png;base64,… */
  src: string;
  /** The frame at the image's own resolution (columns × rows), for the page to enlarge; null past the page's budget. */
  full: string | null;
}

export interface ThumbnailSet {
  rows: number;
  columns: number;
  frames: number;
  photometric: string;
  thumbnails: Thumbnail[];
}

export const DEFAULT_THUMBNAIL_SIZE = 128;

/** At most this many frames with boxes are shown per instance (besides the first and last), spread over them. */
export const MAX_BOXED_FRAMES = 10;

/**
 * Frame numbers (0-based, ascending, no repeats) to show: the first and the last, and the frames a rectangle names
 * (at most MAX_BOXED_FRAMES, spread evenly); the middle one too when no rectangle names a frame (a rectangle without
 * frames is on every frame, the first and last among them).
 */
export function framesToShow(frames: number, rectangles: readonly Rectangle[] = []): number[] {
  const boxed = [...new Set(rectangles.flatMap((r) => r.frames ?? []))].filter((f) => Number.isInteger(f) && f >= 0 && f < frames).sort((a, b) => a - b);
  const spread = boxed.length <= MAX_BOXED_FRAMES ? boxed
    : Array.from({ length: MAX_BOXED_FRAMES }, (_, i) => boxed[Math.round((i * (boxed.length - 1)) / (MAX_BOXED_FRAMES - 1))]);
  const middle = boxed.length === 0 ? [Math.floor((frames - 1) / 2)] : [];
  return [...new Set([0, ...middle, ...spread, frames - 1])].filter((f) => f >= 0).sort((a, b) => a - b);
}

/** Size of a thumbnail: the image scaled down (never up) so that its longer side is at most `size`. */
export function thumbnailSize(rows: number, columns: number, size: number): { width: number; height: number } {
  const scale = Math.min(1, size / Math.max(rows, columns));
  return { width: Math.max(1, Math.round(columns * scale)), height: Math.max(1, Math.round(rows * scale)) };
}

/** Renders one decoded frame as 8-bit RGB of the thumbnail's size. */
export function renderFrame(file: DicomFile, image: ImageDescription, frame: PixelFrame, size: number): { width: number; height: number; rgb: Uint8Array } {
  const { rows, columns } = frame.layout;
  const { width, height } = thumbnailSize(rows, columns, size);
  const { count: sampleCount, at } = sampleIndexer(frame.data, frame.layout);
  const samples = storedSamples(frame.data, frame.layout, sampleCount);
  const read = (pixel: number, sample: number): number => samples[at(pixel, sample)];
  const bins = width * height;
  const count = new Float64Array(bins);
  const binOf = (pixel: number): number => {
    const x = pixel % columns, y = (pixel - x) / columns;
    return Math.min(height - 1, Math.floor((y * height) / rows)) * width + Math.min(width - 1, Math.floor((x * width) / columns));
  };
  const rgb = new Uint8Array(bins * 3);
  const photometric = frame.layout.photometricInterpretation;
  const palette = photometric === 'PALETTE COLOR' ? readPalette(file.dataset, file.datasetSource, image) : null;
  if (frame.layout.samplesPerPixel === 3 || palette) {
    const sums = new Float64Array(bins * 3);
    const partial = photometric.startsWith('YBR_PARTIAL');
    const ybr = photometric === 'YBR_FULL' || photometric.endsWith('_422') || photometric.endsWith('_420') || partial;
    const down = Math.max(0, frame.layout.bitsStored - 8);
    for (let p = 0; p < rows * columns; p++) {
      let r: number, g: number, b: number;
      if (palette) {
        const at = paletteEntry(palette, read(p, 0));
        r = palette.red[at]; g = palette.green[at]; b = palette.blue[at];
      } else {
        r = read(p, 0) / 2 ** down; g = read(p, 1) / 2 ** down; b = read(p, 2) / 2 ** down;
        if (ybr) [r, g, b] = ybrToRgb(r, g, b, partial);
      }
      const bin = binOf(p);
      sums[bin * 3] += r; sums[bin * 3 + 1] += g; sums[bin * 3 + 2] += b;
      count[bin]++;
    }
    for (let i = 0; i < bins; i++) {
      const n = Math.max(1, count[i]);
      for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Math.min(255, Math.round(sums[i * 3 + c] / n));
    }
    return { width, height, rgb };
  }
  // Grey: average modality values per bin, then window them (the window of a thumbnail is that of the image).
  const display = greyDisplay(file.dataset, file.datasetSource, image, frame.index);
  const sums = new Float64Array(bins);
  let min = Infinity, max = -Infinity;
  for (let p = 0; p < rows * columns; p++) {
    const value = read(p, 0) * display.slope + display.intercept;
    if (value < min) min = value;
    if (value > max) max = value;
    const bin = binOf(p);
    sums[bin] += value;
    count[bin]++;
  }
  for (let i = 0; i < bins; i++) {
    const grey = applyVoi(sums[i] / Math.max(1, count[i]), display.voi, min, max);
    const shown = display.invert ? 255 - grey : grey;
    rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = shown;
  }
  return { width, height, rgb };
}

/** The rendered frame at its own resolution as a PNG: grey (one byte a pixel) when every pixel is grey. */
function fullSizePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    if (rgb[i * 3] !== rgb[i * 3 + 1] || rgb[i * 3] !== rgb[i * 3 + 2]) return encodePng(width, height, rgb);
    grey[i] = rgb[i * 3];
  }
  return encodePng(width, height, grey, 1);
}

/** How many characters of full-size images the page may still hold; each full-size image takes its length off. */
export interface FullSizeBudget {
  remaining: number;
}

export interface RenderOptions {
  size?: number;
  /** The rectangles the run blanked (their frames are shown). */
  rectangles?: readonly Rectangle[];
  /** Full-size images are made while it lasts; none without it. */
  budget?: FullSizeBudget;
}

/** Thumbnails (and full-size images) of the frames to show of `file` (an output); throws PixelDataError when undecodable. */
export async function renderThumbnails(file: DicomFile, options: RenderOptions = {}): Promise<ThumbnailSet> {
  const size = options.size ?? DEFAULT_THUMBNAIL_SIZE;
  const image = describeImage(file.dataset, file.datasetSource);
  const thumbnails: Thumbnail[] = [];
  for (const index of framesToShow(image.numberOfFrames, options.rectangles)) {
    const frame = await readFrame(file, index, image);
    const { width, height, rgb } = renderFrame(file, image, frame, size);
    let full: string | null = null;
    const budget = options.budget;
    // A full-size image is about a byte a pixel (grey, base64 of deflated): skip the rendering when it cannot fit.
    if (budget && budget.remaining >= image.rows * image.columns / 4) {
      const own = renderFrame(file, image, frame, Math.max(image.rows, image.columns));
      const uri = pngDataUri(fullSizePng(own.width, own.height, own.rgb));
      if (uri.length <= budget.remaining) {
        budget.remaining -= uri.length;
        full = uri;
      }
    }
    thumbnails.push({ frame: index, width, height, src: pngDataUri(encodePng(width, height, rgb)), full });
  }
  return { rows: image.rows, columns: image.columns, frames: image.numberOfFrames, photometric: image.photometricInterpretation, thumbnails };
}
