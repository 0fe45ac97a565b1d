// Text-free at-risk pictures of the kinds text detection used to damage (issue 23): colour Doppler flow over
// ultrasound speckle, an echo cine frame with jets, a histology-like stained section, a photograph-like scene of
// smooth gradients and noise texture, and a drawing of shapes and lines. RGB, deterministic (seeded), no text.

import { drawTextImage, seededRandom } from './text-image.js';

export interface ColourPicture {
  name: string;
  width: number;
  height: number;
  /** RGB interleaved. */
  data: Uint8Array;
  /** The ultrasound image area [x0, y0, x1, y1] (inclusive), for the Sequence of Ultrasound Regions; absent for non-US. */
  region?: [number, number, number, number];
}

const clamp = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

function greyToRgb(grey: Uint8Array): Uint8Array {
  const out = new Uint8Array(grey.length * 3);
  for (let i = 0; i < grey.length; i++) out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = grey[i];
  return out;
}

/** Velocity as colour: red-yellow towards the probe (v > 0), blue-cyan away (v < 0), brighter with speed. */
const velocityColour = (v: number): [number, number, number] =>
  v >= 0 ? [clamp(100 + 155 * v), clamp(230 * v ** 2), clamp(20 * v)] : [clamp(-20 * v), clamp(200 * v ** 2), clamp(100 - 155 * v)];

/**
 * Colour flow painted over the speckle inside `blobs` ellipses: each pixel bright enough to carry signal takes the
 * colour of a velocity that follows the speckle's brightness (towards on the left half of a blob, away on the
 * right), as a Doppler box shows mottled flow. This texture gave the detector box-sized false "text".
 */
function paintFlow(rgb: Uint8Array, width: number, height: number, seed: number, blobs: number): void {
  const random = seededRandom(seed);
  const list = Array.from({ length: blobs }, () => ({ x: width * (0.3 + 0.4 * random()), y: height * (0.3 + 0.4 * random()), rx: width * (0.12 + 0.2 * random()), ry: height * (0.1 + 0.15 * random()) }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3, g = rgb[at];
      for (const b of list) {
        if (((x - b.x) / b.rx) ** 2 + ((y - b.y) / b.ry) ** 2 >= 1 || g <= 60) continue;
        rgb.set(velocityColour(((g - 60) / 120) * (x < b.x ? 1 : -1)), at);
        break;
      }
    }
  }
}

export function textFreeColourPictures(size = 256): ColourPicture[] {
  const w = size, h = size, pictures: ColourPicture[] = [];
  const speckle = (seed: number): Uint8Array => greyToRgb(drawTextImage({ width: w, height: h, background: { kind: 'speckle', mean: 70, seed }, items: [] }).image.data);
  const region: [number, number, number, number] = [0, 0, w - 1, h - 1];
  for (const seed of [31, 32]) {
    const rgb = speckle(seed);
    paintFlow(rgb, w, h, seed, 3);
    pictures.push({ name: `colour flow ${seed}`, width: w, height: h, data: rgb, region });
  }
  {
    const rgb = speckle(33);
    paintFlow(rgb, w, h, 33, 6);
    pictures.push({ name: 'echo jets', width: w, height: h, data: rgb, region });
  }
  {
    // Histology: pale pink ground, purple nuclei and pink cytoplasm in noisy round cells.
    const random = seededRandom(34);
    const rgb = new Uint8Array(w * h * 3);
    for (let p = 0; p < w * h; p++) { rgb[p * 3] = 240; rgb[p * 3 + 1] = 215 + 10 * random(); rgb[p * 3 + 2] = 230; }
    for (let c = 0; c < 120; c++) {
      const cx = random() * w, cy = random() * h, r = 4 + 8 * random();
      for (let y = Math.max(0, Math.floor(cy - 2 * r)); y < Math.min(h, cy + 2 * r); y++) {
        for (let x = Math.max(0, Math.floor(cx - 2 * r)); x < Math.min(w, cx + 2 * r); x++) {
          const d = Math.hypot(x - cx, y - cy) / r, at = (y * w + x) * 3, n = 20 * random();
          if (d < 1) { rgb[at] = clamp(110 + n); rgb[at + 1] = clamp(60 + n); rgb[at + 2] = clamp(150 + n); }
          else if (d < 2) { rgb[at] = clamp(225 + n / 2); rgb[at + 1] = clamp(150 + n); rgb[at + 2] = clamp(190 + n); }
        }
      }
    }
    pictures.push({ name: 'histology', width: w, height: h, data: rgb });
  }
  {
    // Photograph-like: sky-to-ground gradient, a sun disc, textured foliage noise.
    const random = seededRandom(35);
    const rgb = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const at = (y * w + x) * 3, t = y / h, n = 24 * (random() - 0.5);
        if (t < 0.55) { rgb[at] = clamp(90 + 100 * t + n / 3); rgb[at + 1] = clamp(140 + 80 * t + n / 3); rgb[at + 2] = clamp(230 - 20 * t + n / 3); }
        else { rgb[at] = clamp(60 + 40 * Math.sin(x / 9) + n); rgb[at + 1] = clamp(110 + 30 * Math.cos(y / 7) + n); rgb[at + 2] = clamp(40 + n); }
        if (Math.hypot(x - w * 0.75, y - h * 0.2) < w * 0.08) { rgb[at] = 255; rgb[at + 1] = 230; rgb[at + 2] = 120; }
      }
    }
    pictures.push({ name: 'photograph', width: w, height: h, data: rgb });
  }
  {
    // Drawing: coloured rectangles, circles and lines on white.
    const random = seededRandom(36);
    const rgb = new Uint8Array(w * h * 3).fill(250);
    for (let s = 0; s < 10; s++) {
      const colour = [random() * 255, random() * 255, random() * 255].map(clamp);
      const x0 = random() * w, y0 = random() * h, r = 10 + random() * 40, circle = random() < 0.5;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const inside = circle ? Math.abs(Math.hypot(x - x0, y - y0) - r) < 2 : x >= x0 && x < x0 + r * 1.5 && y >= y0 && y < y0 + r;
          if (inside) rgb.set(colour, (y * w + x) * 3);
        }
      }
    }
    pictures.push({ name: 'drawing', width: w, height: h, data: rgb });
  }
  return pictures;
}
