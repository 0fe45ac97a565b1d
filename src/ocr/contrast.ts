// Stretches a low-contrast image before detection: faint grey text (10 grey levels over its ground) is missed
// by the network at 10–12 px unless its contrast is raised.
//
// A linear map around the middle of the 0.5–99.5 percentile range, its gain capped at MAX_GAIN so a flat image
// with a little noise does not become a field of false text. Images already spanning most of 0–255 are left as
// they are (their detection is what the tests measure unchanged).

import type { PixelImage } from './types.js';

export const MAX_GAIN = 4;
/** Below this gain, stretching is not worth changing the image. */
const MIN_USEFUL_GAIN = 1.5;
const TAIL = 0.005;

/** The gain and centre the image would be stretched with, from its (luma) histogram. */
export function contrastStretch(image: PixelImage): { gain: number; centre: number } {
  const channels = image.channels ?? 1;
  const histogram = new Uint32Array(256);
  if (channels === 1) for (let i = 0; i < image.data.length; i++) histogram[image.data[i]]++;
  else for (let i = 0; i < image.data.length; i += 3) histogram[(image.data[i] * 77 + image.data[i + 1] * 150 + image.data[i + 2] * 29) >> 8]++;
  const pixels = image.width * image.height, tail = pixels * TAIL;
  let low = 0, high = 255;
  for (let v = 0, seen = 0; v < 256; v++) if ((seen += histogram[v]) > tail) { low = v; break; }
  for (let v = 255, seen = 0; v >= 0; v--) if ((seen += histogram[v]) > tail) { high = v; break; }
  return { gain: Math.min(MAX_GAIN, 255 / Math.max(1, high - low)), centre: (low + high) / 2 };
}

/** The image itself when its contrast is fine, else a stretched copy (same size and channels). */
export function withStretchedContrast(image: PixelImage): PixelImage {
  const { gain, centre } = contrastStretch(image);
  if (gain < MIN_USEFUL_GAIN) return image;
  const lookup = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lookup[v] = Math.max(0, Math.min(255, Math.round(127.5 + (v - centre) * gain)));
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = lookup[image.data[i]];
  return { ...image, data };
}
