// Text detection on every frame of an at-risk image (policy redact): each frame is shown as an 8-bit picture
// (pixels/display.ts), searched for text boxes, each box read by the recogniser; boxes become rectangles to blank
// on that frame, with the plan's margin, except those whose text is only keep-list words. Which header attributes
// the read text matches is recorded by keyword, never the value or the text.
//
// Every frame is searched. A frame whose 8-bit picture is byte-identical to one already searched reuses its boxes
// (same input, same output: nothing is missed), and a box whose pixels are identical to a box already read reuses
// the reading. A box at exactly the place of a box blanked on an earlier frame (a cine's overlay over changing
// speckle) is blanked without being read again: reading can only keep a box, so skipping it never keeps text
// (the matched keywords then come from the earlier frames' readings). The detector is imported on first use: runs that never reach this step never load onnxruntime.

import { createHash } from 'node:crypto';
import type { DicomFile } from '../../dicom/part10.js';
import { describeImage, displayImage, readFrames, type DisplayImage, type Rectangle } from '../../pixels/index.js';
import type { TextDetectionPlan } from '../../plan/plan.js';
import type { TextDetector } from '../../ocr/index.js';
import { isKeepListText, matchHeaderValues, type HeaderValue } from './text-match.js';

/** What detection found in one file; plain data without values or text. */
export interface DetectedText {
  /** Rectangles to blank (detected boxes with the margin), each on the frames it was found on. */
  rectangles: Rectangle[];
  /** Boxes found over all frames (a box on 10 frames counts 10 times). */
  boxes: number;
  /** Of those, boxes left unblanked because their text is only keep-list words. */
  kept: number;
  /** Keywords of the header attributes whose values the recognised text matched (each once). */
  matched: string[];
  /** Frames searched (all of them) and how many of those reused an identical frame's boxes. */
  frames: number;
  reusedFrames: number;
}

const digest = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('hex');

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
  matched: string[];
}

/** Searches every frame of `file` and decides what to blank. Pixel errors (undecodable frames) propagate. */
export async function detectTextInFile(file: DicomFile, plan: TextDetectionPlan, header: readonly HeaderValue[]): Promise<DetectedText> {
  // The ocr layer keeps one engine per process or worker thread (and retries a failed load): nothing to cache here.
  const ocr = await (await import('../../ocr/index.js')).loadTextDetector();
  const image = describeImage(file.dataset, file.datasetSource);
  const keepWords = new Set(plan.keepWords.map((w) => w.toUpperCase()));
  const byFrame = new Map<string, FrameResult>();
  const readings = new Map<string, { text: string; textScore: number }>();
  const blankedAt = new Set<string>();
  // Rectangle key → frames, so a box found at the same place on many frames is one rectangle.
  const rectangles = new Map<string, { rect: Rectangle; frames: number[] }>();
  const matched = new Set<string>();
  let boxes = 0, kept = 0, frames = 0, reusedFrames = 0;
  for await (const frame of readFrames(file)) {
    frames++;
    const picture = displayImage(frame.data, frame.layout, image, file.dataset, file.datasetSource);
    const key = digest(picture.data);
    let result = byFrame.get(key);
    if (result) reusedFrames++;
    else {
      result = await searchFrame(ocr, picture, plan, keepWords, header, readings, blankedAt);
      byFrame.set(key, result);
    }
    boxes += result.boxes;
    kept += result.kept;
    for (const k of result.matched) matched.add(k);
    for (const rect of result.blank) {
      const id = `${rect.x},${rect.y},${rect.width},${rect.height}`;
      const entry = rectangles.get(id) ?? { rect, frames: [] };
      entry.frames.push(frame.index);
      rectangles.set(id, entry);
    }
  }
  const all = image.numberOfFrames;
  return {
    rectangles: [...rectangles.values()].map(({ rect, frames: on }) => (on.length === all ? { ...rect } : { ...rect, frames: on })),
    boxes, kept, matched: [...matched], frames, reusedFrames,
  };
}

async function searchFrame(
  ocr: TextDetector, picture: DisplayImage, plan: TextDetectionPlan, keepWords: ReadonlySet<string>, header: readonly HeaderValue[],
  readings: Map<string, { text: string; textScore: number }>, blankedAt: Set<string>,
): Promise<FrameResult> {
  const found = await ocr.detect(picture, { minScore: plan.minScore });
  const result: FrameResult = { blank: [], boxes: found.length, kept: 0, matched: [] };
  if (found.length === 0) return result;
  const place = (box: Rectangle): string => `${box.x},${box.y},${box.width},${box.height}`;
  // Read each box once; a box whose pixels were read before (a static overlay on a cine) reuses that reading.
  const keys = found.map((box) => digest(boxBytes(picture, box)));
  const unread = found.map((box, i) => ({ box, key: keys[i] })).filter(({ box, key }) => !readings.has(key) && !blankedAt.has(place(box)));
  if (unread.length > 0) {
    const read = await ocr.recognize(picture, unread.map((u) => u.box));
    read.forEach((r, i) => readings.set(unread[i].key, { text: r.text, textScore: r.textScore }));
  }
  const matched = new Set<string>();
  for (const [i, box] of found.entries()) {
    const reading = readings.get(keys[i]);
    if (reading) {
      for (const k of matchHeaderValues(reading.text, header)) matched.add(k);
      if (reading.textScore >= plan.keepMinTextScore && isKeepListText(reading.text, keepWords, header)) {
        result.kept++;
        continue;
      }
    }
    blankedAt.add(place(box));
    const x0 = Math.max(0, box.x - plan.margin), y0 = Math.max(0, box.y - plan.margin);
    const x1 = Math.min(picture.width, box.x + box.width + plan.margin), y1 = Math.min(picture.height, box.y + box.height + plan.margin);
    result.blank.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
  }
  result.matched = [...matched];
  return result;
}
