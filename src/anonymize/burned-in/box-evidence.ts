// Does a detected box hold text, or is it colour flow, an echo jet or tissue the detector took for writing?
//
// The detector answers "text-like texture", and on ultrasound Doppler, echo and histology its false boxes fall
// on what the user needs. A box is dropped only when every sign says it is not writing: the recogniser read it
// with low confidence, AND it has almost no sharp edges (glyph strokes are edges), AND it is either mostly
// coloured (colour flow) or taller than a line of label text (tissue in the ultrasound image area, texture such as
// ribs and lung field on a radiograph). Text in colour, text on a coloured band and annotations inside the image area keep
// their boxes: their strokes are sharp edges and they read with higher confidence. A box that only an enhanced
// picture showed (views.ts) is dropped when it reads with low confidence and has no sharp edges in that picture. Measured in scripts/bench-false-boxes.ts.

import { chroma, COLOURED_CHROMA } from '../../ocr/enhance.js';
import type { DisplayImage } from '../../pixels/index.js';
import type { Box } from './rules.js';

/** What a box's pixels look like. Plain numbers, no pixel values. */
export interface BoxEvidence {
  /** Share of pixels whose channels differ by COLOURED_CHROMA or more. */
  coloured: number;
  /** Share of neighbour steps (right and down) larger than half the box's 5-95 percentile luma spread. */
  sharpEdges: number;
  /** Box height in pixels (one detected line of label text is under TISSUE_MIN_HEIGHT). */
  height: number;
  /** Whether the box's centre lies inside an ultrasound region. */
  inImageArea: boolean;
}

// Thresholds measured on generated images (scratch runs, scripts/bench-false-boxes.ts): false boxes on colour
// flow had 0.03-0.04 sharp edges and read at 0-0.32; boxes on text, grey or tinted, 0.07 and up, except boxes
// beside a line of text that hold no ink (0.00: blanking or keeping them changes nothing a reader sees).
/** Recognition confidence at or above which a box is always kept. */
export const TRUSTED_TEXT_SCORE = 0.5;
const FLOW_MIN_COLOURED = 0.3;
const MAX_SHARP_EDGES = 0.05;
/** Tissue: a box this tall is not one line of label text (fonts up to 32 px give boxes under 48 px). */
export const TISSUE_MIN_HEIGHT = 48;
const TISSUE_TEXT_SCORE = 0.3;
/**
 * Share of sharp edges under which a tall box holds no glyph at all, whatever it reads as: the lung fields of a chest
 * CR and of a generated one gave 0.000; text of any size has strokes (a 32 px font's box 0.07 and up).
 */
const NO_GLYPH_EDGES = 0.01;

export function boxEvidence(picture: DisplayImage, box: { x: number; y: number; width: number; height: number }, imageAreas: readonly Box[]): BoxEvidence {
  const { width: w, height: h } = box, c = picture.channels, n = w * h;
  const lum = new Uint8Array(n);
  let coloured = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const at = ((box.y + y) * picture.width + box.x + x) * c;
      if (c === 3) {
        const r = picture.data[at], g = picture.data[at + 1], b = picture.data[at + 2];
        if (chroma(r, g, b) >= COLOURED_CHROMA) coloured++;
        lum[y * w + x] = (r * 77 + g * 150 + b * 29) >> 8;
      } else lum[y * w + x] = picture.data[at];
    }
  }
  const histogram = new Uint32Array(256);
  for (const v of lum) histogram[v]++;
  const percentile = (q: number): number => {
    for (let v = 0, seen = 0; v < 256; v++) if ((seen += histogram[v]) > n * q) return v;
    return 255;
  };
  const spread = Math.max(1, percentile(0.95) - percentile(0.05));
  let sharp = 0, steps = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = lum[y * w + x];
      if (x + 1 < w) { steps++; if (Math.abs(lum[y * w + x + 1] - v) * 2 > spread) sharp++; }
      if (y + 1 < h) { steps++; if (Math.abs(lum[(y + 1) * w + x] - v) * 2 > spread) sharp++; }
    }
  }
  const centreX = box.x + w / 2, centreY = box.y + h / 2;
  return {
    coloured: coloured / n,
    sharpEdges: steps > 0 ? sharp / steps : 0,
    height: h,
    inImageArea: imageAreas.some((a) => centreX >= a.x0 && centreX < a.x1 && centreY >= a.y0 && centreY < a.y1),
  };
}

/**
 * Why a box is not text, or null when it may hold text (then it is blanked). `enhanced`: the box was found only in
 * an enhanced picture (window, local contrast, chroma) and `evidence` is measured there: a box without sharp edges
 * there is a smooth slope the enhancement steepened (the rim of a soft disc gave 45×25 and 119×121 px boxes with
 * no sharp edge at all; a faint label has 13% in the same picture).
 */
export function notTextBecause(evidence: BoxEvidence, textScore: number | undefined, enhanced = false): string | null {
  const score = textScore ?? 0;
  // Taller than a line of label text and without a glyph edge: the recogniser squeezes such a box into one line and
  // reads shapes into anything (the ribbed lung field of a generated chest read as "00" at 0.58), so no score keeps it.
  if (evidence.height >= TISSUE_MIN_HEIGHT && evidence.sharpEdges < NO_GLYPH_EDGES) return 'a tall region without glyph edges';
  if (score >= TRUSTED_TEXT_SCORE) return null;
  if (evidence.sharpEdges >= MAX_SHARP_EDGES) return null;
  if (enhanced) return 'a smooth slope steepened by an enhanced picture';
  if (evidence.coloured >= FLOW_MIN_COLOURED) return 'colour flow';
  // A region taller than a line of label text, without glyph edges, that reads as nothing is texture the detector
  // took for writing: anywhere in the frame, not only in an ultrasound image area (on a 440² chest CR the network
  // marks the ribbed lung field as one text region, grown back to a 431×385 px box with no sharp edge, read at 0.24).
  if (evidence.height >= TISSUE_MIN_HEIGHT && score < TISSUE_TEXT_SCORE) return evidence.inImageArea ? 'tissue' : 'a tall region without glyph edges';
  return null;
}
