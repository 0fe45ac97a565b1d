// The text detector: stretches contrast, mirrors a border, tiles, runs PP-OCR's detection network, stitches the
// maps, and returns boxes in the caller's pixels.

import { boxesInsideBorder, MIRROR_BORDER, withMirroredBorder } from './border.js';
import { withStretchedContrast } from './contrast.js';
import { boxesFromProbabilityMap, DEFAULT_DB_OPTIONS, withMargin } from './db-postprocess.js';
import { getEngine, runDetection, type OcrEngine } from './engine.js';
import { recognizeBoxes } from './recognizer.js';
import { regionTensor } from './tensor.js';
import { planTiles, stitchTileMap } from './tiling.js';
import { DEFAULT_MIN_SCORE, type DetectOptions, type LoadOptions, type PixelImage, type PixelRect, type RecognizedText, type TextBox } from './types.js';

export interface TextDetector {
  /** Text boxes in image pixels, sorted top to bottom then left to right; the same image gives the same boxes. */
  detect(image: PixelImage, options?: DetectOptions): Promise<TextBox[]>;
  /**
   * Boxes for every frame of a multi-frame image, each frame searched. A frame byte-identical to the one before
   * reuses that frame's boxes (same input, same output: nothing can be missed by the reuse).
   */
  detectFrames(frames: Iterable<PixelImage>, options?: DetectOptions): Promise<TextBox[][]>;
  /** The text read in each box (same order), for telling which boxes hold a header's values. */
  recognize<T extends PixelRect>(image: PixelImage, boxes: readonly T[]): Promise<(T & RecognizedText)[]>;
  /** Milliseconds the first load took in this process (import of onnxruntime + detection model). */
  readonly loadMs: number;
}

/** Loads the detector (once per process: later calls share the models). */
export async function loadTextDetector(options: LoadOptions = {}): Promise<TextDetector> {
  const engine = await getEngine(options);
  return {
    loadMs: engine.loadMs,
    detect: (image, detectOptions) => detectWithEngine(engine, image, detectOptions),
    detectFrames: (frames, detectOptions) => detectFramesWithEngine(engine, frames, detectOptions),
    recognize: (image, boxes) => recognizeBoxes(engine, image, boxes),
  };
}

/** Convenience: load (or reuse) the detector and detect text in one image. */
export async function detectText(image: PixelImage, options?: DetectOptions): Promise<TextBox[]> {
  return (await loadTextDetector()).detect(image, options);
}

function checkImage(image: PixelImage): void {
  const channels = image.channels ?? 1;
  if (!Number.isInteger(image.width) || !Number.isInteger(image.height) || image.width <= 0 || image.height <= 0) {
    throw new RangeError(`text detection: bad image size ${image.width}×${image.height}`);
  }
  if (image.data.length !== image.width * image.height * channels) {
    throw new RangeError(`text detection: ${image.data.length} bytes for a ${image.width}×${image.height}×${channels} image`);
  }
}

/** The whole-image text-probability map, stitched from native-resolution tiles. */
export async function probabilityMap(engine: OcrEngine, image: PixelImage): Promise<Float32Array> {
  const map = new Float32Array(image.width * image.height);
  for (const tile of planTiles(image.width, image.height)) {
    const input = regionTensor(image, tile);
    const tileMap = await runDetection(engine, input.tensor, input.height, input.width);
    stitchTileMap(map, image.width, tile, tileMap, input.width);
  }
  return map;
}

async function detectWithEngine(engine: OcrEngine, image: PixelImage, options: DetectOptions = {}): Promise<TextBox[]> {
  checkImage(image);
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const bordered = withMirroredBorder(withStretchedContrast(image));
  const map = await probabilityMap(engine, bordered);
  const found = boxesFromProbabilityMap(map, bordered.width, bordered.height, { ...DEFAULT_DB_OPTIONS, minScore });
  let boxes = boxesInsideBorder(found, MIRROR_BORDER, image.width, image.height);
  boxes = boxes.map((box) => withMargin(box, options.margin ?? 0, image.width, image.height));
  boxes.sort((a, b) => a.y - b.y || a.x - b.x);
  if (options.recognize) boxes = await recognizeBoxes(engine, image, boxes);
  return boxes;
}

function sameFrame(a: PixelImage, b: PixelImage): boolean {
  return a.width === b.width && a.height === b.height && (a.channels ?? 1) === (b.channels ?? 1)
    && Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength));
}

async function detectFramesWithEngine(engine: OcrEngine, frames: Iterable<PixelImage>, options: DetectOptions = {}): Promise<TextBox[][]> {
  const results: TextBox[][] = [];
  let previous: PixelImage | null = null;
  for (const frame of frames) {
    if (previous && sameFrame(previous, frame)) results.push(results[results.length - 1].map((box) => ({ ...box })));
    else results.push(await detectWithEngine(engine, frame, options));
    previous = frame;
  }
  return results;
}
