// Text detection for one at-risk image (policy redact): every frame is searched in every picture a reader could
// see (views.ts: the plain 8-bit map, the file's own window, faint tiles raised, colour), and each box read by
// the recogniser; boxes that are not writing (box-evidence.ts: colour flow, tissue) are dropped, the rest become
// rectangles to blank on that frame, with the plan's margin, except those whose text is only keep-list words.
// Which header attributes the read text matches is recorded by keyword, never the value or the text.
//
// Every frame is searched. A frame whose stored bytes are identical to one already searched reuses its boxes
// (same input, same output: nothing is missed), and a box whose pixels are identical to a box already read reuses
// the reading. A box at exactly the place of a box blanked on an earlier frame (a cine's overlay over changing
// speckle) is blanked without being read again: reading can only keep a box, so skipping it never keeps text
// (the matched keywords then come from the earlier frames' readings). The detector is imported on first use: runs
// that never reach this step never load onnxruntime.

import { FrameRectangles } from './frame-rectangles.js';
import { createHash } from 'node:crypto';
import type { DicomFile } from '../../dicom/part10.js';
import { describeImage, readFrames, type DisplayImage, type Rectangle } from '../../pixels/index.js';
import type { TextDetectionPlan } from '../../plan/plan.js';
import type { TextDetector } from '../../ocr/index.js';
import { boxEvidence, notTextBecause, TISSUE_MIN_HEIGHT } from './box-evidence.js';
import { ultrasoundBoxes, type Box } from './rules.js';
import { isKeepListText, matchHeaderValues, type PixelHeaderTerms } from './text-match.js';
import { frameViews, type Enhancers, type FrameView, type ViewName } from './views.js';

/**
 * A file whose blanked boxes would cover more than this share of one frame is quarantined for review instead:
 * so much "text" is more likely an image the detector misread (colour flow, a photograph) or a screen of text than
 * labels, and either wants a person to look. The generated test pages of 8 label lines on 448×320 cover 28%.
 */
export const MAX_BLANKED_SHARE = 0.35;

/** What detection found in one file; plain data without values or text. */
export interface DetectedText {
  /** Rectangles to blank (detected boxes with the margin), each on the frames it was found on. */
  rectangles: Rectangle[];
  /** Text boxes found over all frames (a box on 10 frames counts 10 times), not counting the rejected ones. */
  boxes: number;
  /** Of those, boxes left unblanked because their text is only keep-list words. */
  kept: number;
  /** Of those, boxes dropped as not writing (colour flow, tissue). */
  rejected: number;
  /** Keywords of the header attributes whose values the recognised text matched (each once). */
  matched: string[];
  /** Frames searched (all of them) and how many of those reused an identical frame's boxes. */
  frames: number;
  reusedFrames: number;
  /** The largest share of one frame's pixels the rectangles cover (0..1). */
  largestBlankedShare: number;
  /** Views searched, by name, over all frames (e.g. { plain: 3, window: 3 }). */
  views: Partial<Record<ViewName, number>>;
}

const digest = (...parts: Uint8Array[]): string => {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

/** The bytes of one box of an 8-bit picture (for telling identical boxes apart cheaply). */
function boxBytes(image: DisplayImage, box: Rectangle): Uint8Array {
  const c = image.channels;
  const out = new Uint8Array(box.width * box.height * c + 8);
  new DataView(out.buffer).setUint32(0, box.width);
  new DataView(out.buffer).setUint32(4, box.height);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.y + y) * image.width + box.x) * c;
    out.set(image.data.subarray(from, from + box.width * c), 8 + y * box.width * c);
  }
  return out;
}

interface FrameResult {
  blank: Rectangle[];
  boxes: number;
  kept: number;
  rejected: number;
  matched: string[];
  views: ViewName[];
}

interface FileState {
  readings: Map<string, { text: string; textScore: number }>;
  blankedAt: Set<string>;
  imageAreas: Box[];
}

/** Searches every frame of `file` and decides what to blank. Pixel errors (undecodable frames) propagate. */
export async function detectTextInFile(file: DicomFile, plan: TextDetectionPlan, header: PixelHeaderTerms): Promise<DetectedText> {
  // The ocr layer keeps one engine per process or worker thread (and retries a failed load): nothing to cache here.
  const ocrModule = await import('../../ocr/index.js');
  const ocr = await ocrModule.loadTextDetector();
  const enhance: Enhancers = await import('../../ocr/enhance.js');
  const image = describeImage(file.dataset, file.datasetSource);
  const keepWords = new Set(plan.keepWords.map((w) => w.toUpperCase()));
  const byFrame = new Map<string, FrameResult>();
  const state: FileState = { readings: new Map(), blankedAt: new Set(), imageAreas: ultrasoundBoxes(file.dataset, file.datasetSource) };
  // Rectangle key → frames, so a box found at the same place on many frames is one rectangle.
  const rectangles = new FrameRectangles();
  const matched = new Set<string>();
  const views: Partial<Record<ViewName, number>> = {};
  let boxes = 0, kept = 0, rejected = 0, frames = 0, reusedFrames = 0, largestBlankedShare = 0;
  for await (const frame of readFrames(file)) {
    frames++;
    const key = digest(frame.data);
    let result = byFrame.get(key);
    if (result) reusedFrames++;
    else {
      const found = frameViews(frame.data, frame.layout, image, file.dataset, file.datasetSource, frame.index, enhance);
      result = await searchFrame(ocr, found, plan, keepWords, header, state);
      byFrame.set(key, result);
    }
    for (const name of result.views) views[name] = (views[name] ?? 0) + 1;
    boxes += result.boxes;
    kept += result.kept;
    rejected += result.rejected;
    for (const k of result.matched) matched.add(k);
    largestBlankedShare = Math.max(largestBlankedShare, coveredShare(result.blank, image.columns, image.rows));
    rectangles.add(frame.index, result.blank);
  }
  return {
    rectangles: rectangles.list(image.numberOfFrames),
    boxes, kept, rejected, matched: [...matched], frames, reusedFrames, largestBlankedShare, views,
  };
}

/** The share of a width×height frame inside the union of `rects` (counted on a coarse 4 px grid: an estimate). */
export function coveredShare(rects: readonly Rectangle[], width: number, height: number): number {
  if (rects.length === 0 || width <= 0 || height <= 0) return 0;
  const step = 4, across = Math.ceil(width / step), down = Math.ceil(height / step);
  const cells = new Uint8Array(across * down);
  for (const r of rects) {
    for (let y = Math.floor(r.y / step); y < Math.min(down, Math.ceil((r.y + r.height) / step)); y++) {
      for (let x = Math.floor(r.x / step); x < Math.min(across, Math.ceil((r.x + r.width) / step)); x++) cells[y * across + x] = 1;
    }
  }
  let covered = 0;
  for (const c of cells) covered += c;
  return covered / cells.length;
}

/** The share of `box` inside any one of `others` (the largest). */
function overlapShare(box: Rectangle, others: readonly Rectangle[]): number {
  let best = 0;
  for (const o of others) {
    const w = Math.min(box.x + box.width, o.x + o.width) - Math.max(box.x, o.x);
    const h = Math.min(box.y + box.height, o.y + o.height) - Math.max(box.y, o.y);
    if (w > 0 && h > 0) best = Math.max(best, (w * h) / (box.width * box.height));
  }
  return best;
}

async function searchFrame(
  ocr: TextDetector, views: readonly FrameView[], plan: TextDetectionPlan, keepWords: ReadonlySet<string>,
  header: PixelHeaderTerms, state: FileState,
): Promise<FrameResult> {
  const pictures = views.map((v) => v.picture);
  // `box` in the frame's pixels, `viewBox` in its view's (a view may be a crop of the frame).
  const found: { box: Rectangle; viewBox: Rectangle; view: number }[] = [];
  for (const [view, { picture, offset }] of views.entries()) {
    const boxes = await ocr.detect(picture, { minScore: plan.minScore });
    // A box an earlier view already found (mostly inside one of its boxes) is the same text: read and blanked once.
    // Not inside a box taller than a line of text: that one may be rejected as texture (box-evidence.ts), and a
    // label the other view found within it must then be judged on its own.
    const earlier = found.map((f) => f.box).filter((b) => b.height < TISSUE_MIN_HEIGHT);
    for (const b of boxes) {
      const viewBox = { x: b.x, y: b.y, width: b.width, height: b.height };
      const box = { ...viewBox, x: b.x + (offset?.x ?? 0), y: b.y + (offset?.y ?? 0) };
      if (view === 0 || overlapShare(box, earlier) < 0.7) found.push({ box, viewBox, view });
    }
  }
  const result: FrameResult = { blank: [], boxes: found.length, kept: 0, rejected: 0, matched: [], views: views.map((v) => v.name) };
  if (found.length === 0) return result;
  const place = (box: Rectangle): string => `${box.x},${box.y},${box.width},${box.height}`;
  // Read each box once, on the view it was found in; a box whose pixels were read before (a static overlay on a
  // cine) reuses that reading.
  const keys = found.map(({ viewBox, view }) => `${view}:${digest(boxBytes(pictures[view], viewBox))}`);
  const unread = found.map((f, i) => ({ ...f, key: keys[i] })).filter(({ box, key }) => !state.readings.has(key) && !state.blankedAt.has(place(box)));
  for (const [view, picture] of pictures.entries()) {
    const mine = unread.filter((u) => u.view === view);
    if (mine.length === 0) continue;
    const read = await ocr.recognize(picture, mine.map((u) => u.viewBox));
    read.forEach((r, i) => state.readings.set(mine[i].key, { text: r.text, textScore: r.textScore }));
  }
  const matched = new Set<string>();
  for (const [i, { box, viewBox, view }] of found.entries()) {
    const reading = state.readings.get(keys[i]);
    if (reading) {
      for (const k of matchHeaderValues(reading.text, header)) matched.add(k);
      if (reading.textScore >= plan.keepMinTextScore && isKeepListText(reading.text, keepWords, header)) {
        result.kept++;
        continue;
      }
      // Judged on the plain picture (its colours); a box only an enhanced picture showed, on that picture too.
      const rejected = !state.blankedAt.has(place(box)) && (notTextBecause(boxEvidence(pictures[0], box, state.imageAreas), reading.textScore) !== null
        || (view > 0 && notTextBecause(boxEvidence(pictures[view], viewBox, []), reading.textScore, true) !== null));
      if (rejected) {
        result.rejected++;
        result.boxes--;
        continue;
      }
    }
    state.blankedAt.add(place(box));
    const x0 = Math.max(0, box.x - plan.margin), y0 = Math.max(0, box.y - plan.margin);
    const x1 = Math.min(pictures[0].width, box.x + box.width + plan.margin), y1 = Math.min(pictures[0].height, box.y + box.height + plan.margin);
    result.blank.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
  }
  result.matched = [...matched];
  return result;
}
