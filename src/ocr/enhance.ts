// Extra pictures of one image for the detector to search, each showing what the plain picture hides: faint labels
// raised by local contrast, and small coloured text turned into a grey picture of how far each pixel is from grey.
//
// Both return null when the image has nothing for them (no faint tile, no coloured pixel), so an image searched
// once today is still searched once: the extra passes cost a detection each (about 120 ms of CPU per 512²).

import type { PixelImage } from './types.js';

/** Tile side of the local contrast map, px. A label line is 10-30 px tall, a tile holds one or two lines. */
const TILE = 64;
/**
 * A tile holds faint structure worth raising when its 2nd-98th percentile spread is under FAINT_MAX grey levels
 * AND it has only faint edges: the 99th percentile of its neighbour steps is FAINT_MIN_STEP or more and none is
 * FAINT_MAX or more (a strong edge means text the plain pass sees already; a label 10 levels over
 * its ground has steps of 8-10 at its strokes; a smooth gradient or a flat field with faint noise has steps of 0-4
 * and is left alone, so the extra pass runs only where a faint label could be).
 */
const FAINT_MAX = 40, FAINT_MIN_STEP = 5;
/** Largest gain a tile gets: 10 grey levels become 80, not a field of noise. */
const MAX_LOCAL_GAIN = 8;

function luma(image: PixelImage): Uint8Array {
  if ((image.channels ?? 1) === 1) return image.data;
  const out = new Uint8Array(image.width * image.height);
  for (let p = 0, i = 0; p < out.length; p++, i += 3) out[p] = (image.data[i] * 77 + image.data[i + 1] * 150 + image.data[i + 2] * 29) >> 8;
  return out;
}

/** Low and high percentile of one tile's values, the 99th percentile and the largest of its right and down neighbour steps. */
function tileSpread(grey: Uint8Array, width: number, x0: number, y0: number, x1: number, y1: number): { low: number; high: number; step: number; maxStep: number } {
  const histogram = new Uint32Array(256), steps = new Uint32Array(256);
  let stepCount = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const v = grey[y * width + x];
      histogram[v]++;
      if (x + 1 < x1) { steps[Math.abs(grey[y * width + x + 1] - v)]++; stepCount++; }
      if (y + 1 < y1) { steps[Math.abs(grey[(y + 1) * width + x] - v)]++; stepCount++; }
    }
  }
  const n = (x1 - x0) * (y1 - y0), tail = n * 0.02;
  let low = 0, high = 255, step = 0, maxStep = 0;
  for (let v = 0, seen = 0; v < 256; v++) if ((seen += histogram[v]) > tail) { low = v; break; }
  for (let v = 255, seen = 0; v >= 0; v--) if ((seen += histogram[v]) > tail) { high = v; break; }
  for (let v = 255, seen = 0; v >= 0; v--) if ((seen += steps[v]) > stepCount * 0.01) { step = v; break; }
  for (let v = 255; v > 0; v--) if (steps[v] > 0) { maxStep = v; break; }
  return { low, high, step, maxStep };
}

/** A picture cut from a larger one: `offset` is where its top-left pixel lies in the larger picture. */
export interface CroppedImage extends PixelImage {
  offset: { x: number; y: number };
}

/**
 * A grey picture with each faint tile's values stretched around its own middle (gain up to MAX_LOCAL_GAIN), the
 * gains blended between tile centres so no tile edge is drawn; null when no tile is faint. Tiles already showing
 * strong contrast keep gain 1 (the plain pass sees them). Only the rectangle around the faint tiles (one tile of
 * context on every side) is returned, with its offset: the detector's cost is per pixel.
 */
export function withLocalContrast(image: PixelImage): CroppedImage | null {
  const grey = luma(image);
  const { width, height } = image;
  const across = Math.ceil(width / TILE), down = Math.ceil(height / TILE);
  const gains = new Float32Array(across * down), centres = new Float32Array(across * down);
  let faint = false, minTx = across, minTy = down, maxTx = -1, maxTy = -1;
  for (let ty = 0; ty < down; ty++) {
    for (let tx = 0; tx < across; tx++) {
      const x0 = tx * TILE, y0 = ty * TILE;
      const { low, high, step, maxStep } = tileSpread(grey, width, x0, y0, Math.min(width, x0 + TILE), Math.min(height, y0 + TILE));
      const spread = high - low, at = ty * across + tx;
      centres[at] = (low + high) / 2;
      if (spread < FAINT_MAX && step >= FAINT_MIN_STEP && maxStep < FAINT_MAX) {
        gains[at] = Math.min(MAX_LOCAL_GAIN, 160 / Math.max(1, spread));
        faint = true;
        minTx = Math.min(minTx, tx); maxTx = Math.max(maxTx, tx); minTy = Math.min(minTy, ty); maxTy = Math.max(maxTy, ty);
      } else gains[at] = 1;
    }
  }
  if (!faint) return null;
  // Only the faint tiles and one tile around them (context for the detector) are made and searched.
  const x0 = Math.max(0, (minTx - 1) * TILE), y0 = Math.max(0, (minTy - 1) * TILE);
  const x1 = Math.min(width, (maxTx + 2) * TILE), y1 = Math.min(height, (maxTy + 2) * TILE);
  const cropWidth = x1 - x0;
  const out = new Uint8Array(cropWidth * (y1 - y0));
  for (let y = y0; y < y1; y++) {
    // Bilinear weights between the four nearest tile centres.
    const fy = Math.min(down - 1, Math.max(0, (y - TILE / 2) / TILE));
    const ty0 = Math.floor(fy), ty1 = Math.min(down - 1, ty0 + 1), wy = fy - ty0;
    for (let x = x0; x < x1; x++) {
      const fx = Math.min(across - 1, Math.max(0, (x - TILE / 2) / TILE));
      const tx0 = Math.floor(fx), tx1 = Math.min(across - 1, tx0 + 1), wx = fx - tx0;
      const a = ty0 * across + tx0, b = ty0 * across + tx1, c = ty1 * across + tx0, d = ty1 * across + tx1;
      const w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
      const gain = gains[a] * w00 + gains[b] * w01 + gains[c] * w10 + gains[d] * w11;
      const centre = centres[a] * w00 + centres[b] * w01 + centres[c] * w10 + centres[d] * w11;
      const v = 127.5 + (grey[y * width + x] - centre) * gain;
      out[(y - y0) * cropWidth + (x - x0)] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
  return { width: cropWidth, height: y1 - y0, data: out, channels: 1, offset: { x: x0, y: y0 } };
}

/** A pixel counts as coloured when its channels differ by at least this much (grey text and JPEG noise do not). */
export const COLOURED_CHROMA = 40;
/** Share of coloured pixels below which an image is treated as grey (a coloured cursor or logo alone does not count). */
const MIN_COLOURED_SHARE = 0.0005;

/** Chroma of one RGB pixel: max minus min channel. */
export const chroma = (r: number, g: number, b: number): number => Math.max(r, g, b) - Math.min(r, g, b);

/**
 * A grey picture of colour: each pixel's chroma (max − min channel) stretched ×2, so small coloured text whose luma
 * matches its ground (red on grey, yellow on white) shows as light on dark. null for grey images or images
 * without coloured pixels.
 */
export function colourDistance(image: PixelImage): PixelImage | null {
  if ((image.channels ?? 1) !== 3) return null;
  const pixels = image.width * image.height, out = new Uint8Array(pixels);
  let coloured = 0;
  for (let p = 0, i = 0; p < pixels; p++, i += 3) {
    const c = chroma(image.data[i], image.data[i + 1], image.data[i + 2]);
    if (c >= COLOURED_CHROMA) coloured++;
    out[p] = Math.min(255, c * 2);
  }
  if (coloured < pixels * MIN_COLOURED_SHARE) return null;
  return { width: image.width, height: image.height, data: out, channels: 1 };
}
