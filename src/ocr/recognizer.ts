// Reads the text inside given boxes with PP-OCR's recogniser (through paddleocr's RecognitionService).
//
// Used to mark boxes whose words match header values; redaction must never depend on it, since it reads less
// well than the detector finds (spaces dropped, O read as 0).
//
// Speed (the recogniser costs more than the detector on a frame with many lines): each box is fed at its own
// width (48 px high, width in proportion, at least MIN_INPUT_WIDTH) instead of PaddleOCR's minimum of 320, since
// the network's cost grows with the input width and a short date padded to 320 px pays for the padding.

import { withStretchedContrast } from './contrast.js';
import type { OcrEngine } from './engine.js';
import type { PixelImage, PixelRect, RecognizedText } from './types.js';

/** Narrowest recogniser input (px at 48 px high): 2 input widths per character of the shortest strings read. */
export const MIN_INPUT_WIDTH = 96;

/** Each box with `text` and `textScore` added, in the order given; a box is read as given (clipped to the image). */
export async function recognizeBoxes<T extends PixelRect>(engine: OcrEngine, image: PixelImage, boxes: readonly T[]): Promise<(T & RecognizedText)[]> {
  if (boxes.length === 0) return [];
  const { Image } = await import('paddleocr');
  const service = await engine.recognition();
  // Faint text is read on the same contrast-stretched image the detector saw.
  const rgb = toRgb(withStretchedContrast(image));
  const pixels = new Image(image.width, image.height, 3, rgb);
  const readOne = async (box: T): Promise<T & RecognizedText> => {
    const x0 = Math.max(0, Math.floor(box.x)), y0 = Math.max(0, Math.floor(box.y));
    const x1 = Math.min(image.width, Math.ceil(box.x + box.width)), y1 = Math.min(image.height, Math.ceil(box.y + box.height));
    const rect = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    // One box per call so the result order is ours (the service sorts a batch into reading order).
    const [read] = rect.width > 0 && rect.height > 0
      ? await service.run(pixels, [rect], { ordering: { sortByReadingOrder: false }, recognition: { imageWidth: MIN_INPUT_WIDTH } })
      : [];
    return { ...box, text: read?.text ?? '', textScore: Math.round((read?.confidence ?? 0) * 1e4) / 1e4 };
  };
  // One at a time: onnxruntime runs an inference on the calling thread (its own threads work inside it).
  const out: (T & RecognizedText)[] = [];
  for (const box of boxes) out.push(await readOne(box));
  return out;
}

function toRgb(image: PixelImage): Uint8Array {
  if ((image.channels ?? 1) === 3) return image.data;
  const rgb = new Uint8Array(image.width * image.height * 3);
  for (let i = 0, j = 0; i < image.data.length; i++, j += 3) rgb[j] = rgb[j + 1] = rgb[j + 2] = image.data[i];
  return rgb;
}
