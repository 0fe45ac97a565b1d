// Turns a region of an 8-bit image into the detection network's input tensor (normalised, padded to ×32).

import type { Rectangle } from '../geometry/rectangle.js';
import type { PixelImage } from './types.js';

// PP-OCR det models are trained on OpenCV's BGR images with ImageNet statistics in that channel order.
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/** The part of the image a tensor is made from: the one Rectangle type (its `frames` unused here). */
export type TensorRegion = Rectangle;

/** Rounds up to the multiple of 32 the DB network's down/up-sampling needs. */
export function paddedSide(side: number): number {
  return Math.max(32, Math.ceil(side / 32) * 32);
}

/**
 * A 1×3×H×W float tensor of `region`, H and W padded up to multiples of 32 by repeating the last row/column:
 * a constant black pad would draw a false edge next to light images.
 */
export function regionTensor(image: PixelImage, region: TensorRegion): { tensor: Float32Array; width: number; height: number } {
  const channels = image.channels ?? 1;
  const width = paddedSide(region.width), height = paddedSide(region.height);
  const plane = width * height;
  const tensor = new Float32Array(3 * plane);
  const scale = [0, 1, 2].map((c) => 1 / (255 * STD[c]));
  const offset = [0, 1, 2].map((c) => MEAN[c] / STD[c]);
  for (let ty = 0; ty < height; ty++) {
    const sy = region.y + Math.min(ty, region.height - 1);
    for (let tx = 0; tx < width; tx++) {
      const sx = region.x + Math.min(tx, region.width - 1);
      const at = ty * width + tx;
      const source = (sy * image.width + sx) * channels;
      if (channels === 1) {
        const v = image.data[source];
        tensor[at] = v * scale[0] - offset[0];
        tensor[plane + at] = v * scale[1] - offset[1];
        tensor[2 * plane + at] = v * scale[2] - offset[2];
      } else {
        // BGR: tensor channel 0 is the image's blue.
        tensor[at] = image.data[source + 2] * scale[0] - offset[0];
        tensor[plane + at] = image.data[source + 1] * scale[1] - offset[1];
        tensor[2 * plane + at] = image.data[source] * scale[2] - offset[2];
      }
    }
  }
  return { tensor, width, height };
}
