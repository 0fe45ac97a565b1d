// The text detector's vocabulary: images in, boxes out, and the options that tune it. No DICOM here.

import type { Rectangle } from '../geometry/rectangle.js';

/** An 8-bit image, rows top to bottom: `channels` 1 (greyscale, the default) or 3 (RGB interleaved). */
export interface PixelImage {
  width: number;
  height: number;
  data: Uint8Array;
  channels?: 1 | 3;
}

/** A rectangle in image pixels (x, y of the top-left pixel; width, height in pixels): the one Rectangle type. */
export type PixelRect = Rectangle;

/** A detected text region, axis-aligned, in the input image's pixels. */
export interface TextBox extends PixelRect {
  /** Mean text probability inside the region, 0..1 (the DB "box score"). */
  score: number;
  /** What the recogniser read, when recognition was asked for. Weaker than detection: spaces drop, O reads as 0. */
  text?: string;
  /** The recogniser's mean per-character confidence, 0..1. */
  textScore?: number;
}

/** What the recogniser adds to a box. */
export interface RecognizedText {
  text: string;
  textScore: number;
}

export interface DetectOptions {
  /**
   * Minimum box score kept, 0..1. Default {@link DEFAULT_MIN_SCORE}. Lower finds fainter text and more noise;
   * for redaction a miss costs more than a false box, so the default sits below PaddleOCR's own 0.6.
   */
  minScore?: number;
  /** Pixels added on every side of each box (clipped to the image). Default 0: the boxes already include DB's expansion. */
  margin?: number;
  /** Also read the text in each box (slower: one recogniser run per box). Default false. */
  recognize?: boolean;
}

export interface LoadOptions {
  /**
   * Threads onnxruntime may use inside one inference. Default: every core on the main thread, 1 in a worker thread
   * (the batch layer runs one worker per core); idle threads sleep rather than spin. The boxes were the same with 1
   * and 2 threads (docs/text-detection.md; test/ocr/worker.test.ts compares a worker's boxes with the main thread's).
   */
  threads?: number;
}

/** Minimum DB box score kept by default. */
export const DEFAULT_MIN_SCORE = 0.5;
