// Reads the text inside given boxes with PP-OCR's recogniser (through paddleocr's RecognitionService).
//
// Used to mark boxes whose words match header values; redaction must never depend on it, since it reads less
// well than the detector finds (spaces dropped, O read as 0).

import { withStretchedContrast } from './contrast.js';
import type { OcrEngine } from './engine.js';
import type { PixelImage, PixelRect, RecognizedText } from './types.js';

/** Each box with `text` and `textScore` added, in the order given; a box is read as given (clipped to the image). */
export async function recognizeBoxes<T extends PixelRect>(engine: OcrEngine, image: PixelImage, boxes: readonly T[]): Promise<(T & RecognizedText)[]> {
  if (boxes.length === 0) return [];
  const { Image } = await import('paddleocr');
  const service = await engine.recognition();
  // Faint text is read on the same contrast-stretched image the detector saw.
  const rgb = toRgb(withStretchedContrast(image));
  const pixels = new Image(image.width, image.height, 3, rgb);
  const out: (T & RecognizedText)[] = [];
  // One box at a time so the result order is ours (the service sorts a batch into reading order).
  for (const box of boxes) {
    const x0 = Math.max(0, Math.floor(box.x)), y0 = Math.max(0, Math.floor(box.y));
    const x1 = Math.min(image.width, Math.ceil(box.x + box.width)), y1 = Math.min(image.height, Math.ceil(box.y + box.height));
    const rect = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    const [read] = rect.width > 0 && rect.height > 0 ? await service.run(pixels, [rect], { ordering: { sortByReadingOrder: false } }) : [];
    out.push({ ...box, text: read?.text ?? '', textScore: Math.round((read?.confidence ?? 0) * 1e4) / 1e4 });
  }
  return out;
}

function toRgb(image: PixelImage): Uint8Array {
  if ((image.channels ?? 1) === 3) return image.data;
  const rgb = new Uint8Array(image.width * image.height * 3);
  for (let i = 0, j = 0; i < image.data.length; i++, j += 3) rgb[j] = rgb[j + 1] = rgb[j + 2] = image.data[i];
  return rgb;
}
