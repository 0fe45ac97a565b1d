// Adds a mirrored border around an image before detection, so text cut by the image edge is still found.
//
// Lines cut in half by the top or bottom edge (a label scrolled half out of view) were missed: the network
// sees half-height strokes ending in nothing. Mirroring the edge rows completes them into a glyph-like band the
// network recognises as text; boxes are mapped back and clipped to the image, so the mirror never shows.

import type { PixelImage, TextBox } from './types.js';

/** Border width in pixels; half of the 32 px the network's strides round to, so a 512² image becomes 544². */
export const MIRROR_BORDER = 16;

/** A copy of the image with `border` pixels mirrored on every side (edge pixel not repeated: …c b | a b c…). */
export function withMirroredBorder(image: PixelImage, border = MIRROR_BORDER): PixelImage {
  const channels = image.channels ?? 1;
  const width = image.width + 2 * border, height = image.height + 2 * border;
  const data = new Uint8Array(width * height * channels);
  const mirror = (v: number, size: number): number => {
    // Reflect about the edge pixels; images narrower than the border reflect more than once.
    const period = 2 * size - 2;
    if (period <= 0) return 0;
    let m = ((v % period) + period) % period;
    if (m >= size) m = period - m;
    return m;
  };
  const sourceX = Int32Array.from({ length: width }, (_, x) => mirror(x - border, image.width));
  for (let y = 0; y < height; y++) {
    const sy = mirror(y - border, image.height);
    for (let x = 0; x < width; x++) {
      const from = (sy * image.width + sourceX[x]) * channels, to = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) data[to + c] = image.data[from + c];
    }
  }
  return { width, height, data, channels: image.channels };
}

/** A box counts as the mirror image of text inside when at most this fraction of it lies inside the image. */
const MIRROR_IMAGE_INSIDE = 0.25;

/**
 * Boxes found on the bordered image, moved back to the original's pixels and clipped. Boxes wholly in the border
 * go, and so do the mirror images of text near an edge: mostly in the border, and what is left inside (the gap
 * between the text and the edge) lies within the real text's box already.
 */
export function boxesInsideBorder(boxes: readonly TextBox[], border: number, width: number, height: number): TextBox[] {
  const clipped: { box: TextBox; insideFraction: number }[] = [];
  for (const box of boxes) {
    const x0 = Math.max(0, box.x - border), y0 = Math.max(0, box.y - border);
    const x1 = Math.min(width, box.x + box.width - border), y1 = Math.min(height, box.y + box.height - border);
    if (x1 <= x0 || y1 <= y0) continue;
    clipped.push({ box: { ...box, x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, insideFraction: ((x1 - x0) * (y1 - y0)) / (box.width * box.height) });
  }
  const solid = clipped.filter((c) => c.insideFraction > MIRROR_IMAGE_INSIDE).map((c) => c.box);
  return clipped
    .filter((c) => c.insideFraction > MIRROR_IMAGE_INSIDE || coveredFraction(c.box, solid) < 0.5)
    .map((c) => c.box);
}

/** The fraction of `box` inside the union of `others` (counted per pixel row span: boxes are small). */
function coveredFraction(box: TextBox, others: readonly TextBox[]): number {
  let covered = 0;
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      if (others.some((o) => x >= o.x && x < o.x + o.width && y >= o.y && y < o.y + o.height)) covered++;
    }
  }
  return covered / (box.width * box.height);
}
