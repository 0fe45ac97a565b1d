// DB post-processing: a text-probability map → axis-aligned text boxes (threshold, connected regions, score, expansion).
//
// The network predicts a "shrunk" text kernel; PaddleOCR's DBPostProcess grows each kernel back by
// distance = area × unclipRatio / perimeter. We do the same on the region's bounding rectangle: redaction wants
// rectangles, and a rectangle around a rotated quad covers at least what the quad covers.

import type { PixelRect, TextBox } from './types.js';

export interface DbOptions {
  /** A map pixel above this is text. PaddleOCR's det_db_thresh. */
  pixelThreshold: number;
  /** Regions whose mean probability is below this are dropped. PaddleOCR's det_db_box_thresh. */
  minScore: number;
  /** How far a kernel is grown back; PaddleOCR's det_db_unclip_ratio. */
  unclipRatio: number;
}

export const DEFAULT_DB_OPTIONS: DbOptions = { pixelThreshold: 0.3, minScore: 0.5, unclipRatio: 1.6 };

/** Kernels thinner than this (in pixels) are noise in PaddleOCR's post-processing too. */
const MIN_KERNEL_SIDE = 3;

/**
 * The boxes of one probability map (width×height, values 0..1), in map pixels, in raster order of each region's
 * first pixel: the same map always gives the same boxes in the same order.
 */
export function boxesFromProbabilityMap(map: Float32Array, width: number, height: number, options: DbOptions = DEFAULT_DB_OPTIONS): TextBox[] {
  // 0 = not yet seen, 1 = seen. One byte a pixel and a stack that grows as needed: a 4096² map costs 16 MB here,
  // not the 128 MB of full-size label and stack arrays.
  const seen = new Uint8Array(width * height);
  let stack = new Int32Array(4096);
  const boxes: TextBox[] = [];
  for (let start = 0; start < map.length; start++) {
    if (seen[start]) continue;
    seen[start] = 1;
    if (!(map[start] > options.pixelThreshold)) continue;
    // Flood the 8-connected region of above-threshold pixels.
    let top = 0, minX = width, minY = height, maxX = -1, maxY = -1, count = 0, sum = 0;
    stack[top++] = start;
    while (top > 0) {
      const p = stack[--top];
      const px = p % width, py = (p - px) / width;
      count++;
      sum += map[p];
      if (px < minX) minX = px;
      if (px > maxX) maxX = px;
      if (py < minY) minY = py;
      if (py > maxY) maxY = py;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = py + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = px + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (seen[q]) continue;
          if (!(map[q] > options.pixelThreshold)) continue; // left unseen: it is visited (as background) by the scan
          seen[q] = 1;
          if (top === stack.length) {
            const grown = new Int32Array(stack.length * 2);
            grown.set(stack);
            stack = grown;
          }
          stack[top++] = q;
        }
      }
    }
    const kernelWidth = maxX - minX + 1, kernelHeight = maxY - minY + 1;
    if (Math.min(kernelWidth, kernelHeight) < MIN_KERNEL_SIDE) continue;
    const score = sum / count;
    if (score < options.minScore) continue;
    const grow = (kernelWidth * kernelHeight * options.unclipRatio) / (2 * (kernelWidth + kernelHeight));
    const x0 = Math.max(0, Math.floor(minX - grow)), y0 = Math.max(0, Math.floor(minY - grow));
    const x1 = Math.min(width, Math.ceil(maxX + 1 + grow)), y1 = Math.min(height, Math.ceil(maxY + 1 + grow));
    boxes.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0, score: Math.round(score * 1e4) / 1e4 });
  }
  return boxes;
}

/** A box grown by `margin` pixels on every side, clipped to the image. */
export function withMargin<T extends PixelRect>(box: T, margin: number, imageWidth: number, imageHeight: number): T {
  if (margin <= 0) return box;
  const x0 = Math.max(0, box.x - margin), y0 = Math.max(0, box.y - margin);
  const x1 = Math.min(imageWidth, box.x + box.width + margin), y1 = Math.min(imageHeight, box.y + box.height + margin);
  return { ...box, x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
