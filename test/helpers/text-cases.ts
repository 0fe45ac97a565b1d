// The generated test set for text detection: PHI-like strings in four fonts, 10–32 px, on five kinds of ground.

import { drawTextImage, FONT_NAMES, measureText, seededRandom, type Background, type FontName, type TextImage, type TextItem } from './text-image.js';
import type { PixelImage } from '../../src/ocr/index.js';

/** Strings shaped like what burned-in annotations carry: names, IDs, dates in several formats, institution, times. */
export const PHI_STRINGS = [
  'SMITH^JOHN',
  'ID: 00123456',
  '1987-03-14',
  '14.03.1987',
  '03/14/1987',
  'DOE, JANE A',
  '20240117 14:32',
  'ST. MARY HOSPITAL',
  'Acc# A1B2C3',
];

export const SIZES = [10, 12, 14, 16, 18, 20, 24, 28, 32];

/** Kinds of ground: each says the background, the text grey, and whether the text sits on its own band. */
export const GROUNDS = {
  'light-on-dark': { background: { kind: 'flat', value: 18 }, text: 235 },
  'dark-on-light': { background: { kind: 'flat', value: 232 }, text: 24 },
  'dark-on-light-band': { background: { kind: 'gradient', from: 10, to: 90 }, text: 16, band: 225 },
  'speckle': { background: { kind: 'speckle', mean: 70, seed: 1 }, text: 250 },
  'low-contrast-grey': { background: { kind: 'gradient', from: 70, to: 110 }, text: 170 },
} as const satisfies Record<string, { background: Background; text: number; band?: number }>;
export type GroundName = keyof typeof GROUNDS;

export interface TextCase extends TextImage {
  name: string;
  ground: GroundName | 'large';
}

/**
 * Nine strings, one per row, alternating left edge, centre and right edge: the first row touches the top-left
 * corner, the last the bottom-right, bands run across rows, and some text sits in the middle.
 */
function layoutItems(width: number, height: number, font: FontName, sizeShift: number, ground: GroundName, seed: number): TextItem[] {
  const style = GROUNDS[ground];
  const rows = PHI_STRINGS.length;
  const edge = 'band' in style ? 8 : 3;
  const items: TextItem[] = [];
  for (let row = 0; row < rows; row++) {
    const text = PHI_STRINGS[(row + seed) % rows];
    const size = SIZES[(row + sizeShift) % SIZES.length];
    const m = measureText(text, font, size);
    const inkHeight = m.ascent + m.descent;
    const y = Math.round(edge + ((height - 2 * edge - inkHeight) * row) / (rows - 1));
    const column = row % 3;
    const x = column === 0 ? edge : column === 1 ? Math.round((width - m.width) / 2) : Math.round(width - edge - m.width);
    items.push({ text, font, size, x, y, value: style.text, ...('band' in style ? { band: style.band } : {}) });
  }
  return items;
}

/** 4 fonts × 5 grounds × 9 strings at 512×512 greyscale, sizes rotated so every font meets every size. */
export function greyCases(): TextCase[] {
  const cases: TextCase[] = [];
  let index = 0;
  for (const font of FONT_NAMES) {
    for (const ground of Object.keys(GROUNDS) as GroundName[]) {
      const background = GROUNDS[ground].background;
      const drawn = drawTextImage({
        width: 512, height: 512,
        background: background.kind === 'speckle' ? { ...background, seed: 100 + index } : background,
        items: layoutItems(512, 512, font, index, ground, index),
      });
      cases.push({ name: `${font} / ${ground}`, ground, ...drawn });
      index++;
    }
  }
  return cases;
}

/** RGB versions of two grounds per font (tinted, as a colour secondary capture or ultrasound would be). */
export function rgbCases(): TextCase[] {
  return FONT_NAMES.flatMap((font, index) => (['light-on-dark', 'dark-on-light-band'] as const).map((ground) => ({
    name: `${font} / ${ground} / RGB`, ground,
    ...drawTextImage({ width: 512, height: 512, background: GROUNDS[ground].background, items: layoutItems(512, 512, font, index + 3, ground, index + 5), rgb: true }),
  })));
}

/** A 2048×2048 image with 10–12 px text in the four corners, the middle and across tile seams. */
export function largeCase(): TextCase {
  const size = 2048;
  const spots: [number, number][] = [[3, 3], [1900, 3], [3, 2030], [1890, 2030], [980, 1020], [600, 632], [1150, 1170], [300, 1400]];
  const items: TextItem[] = spots.map(([x, y], i) => {
    const font = FONT_NAMES[i % FONT_NAMES.length];
    const text = PHI_STRINGS[i % PHI_STRINGS.length];
    const fontSize = i % 2 === 0 ? 10 : 12;
    const m = measureText(text, font, fontSize);
    return { text, font, size: fontSize, x: Math.min(x, size - 3 - m.width), y: Math.min(y, size - 3 - (m.ascent + m.descent)), value: 220 };
  });
  return { name: '2048×2048 / 10–12 px', ground: 'large', ...drawTextImage({ width: size, height: size, background: { kind: 'flat', value: 25 }, items }) };
}

/** Images with no text: flat, gradients, speckle, and soft round "anatomy" with edges. */
export function textFreeImages(): { name: string; image: PixelImage }[] {
  const images: { name: string; image: PixelImage }[] = [];
  const plain = (name: string, background: Background) => images.push({ name, image: drawTextImage({ width: 512, height: 512, background, items: [] }).image });
  plain('flat dark', { kind: 'flat', value: 0 });
  plain('flat light', { kind: 'flat', value: 240 });
  plain('gradient', { kind: 'gradient', from: 0, to: 255 });
  for (const seed of [7, 8, 9]) plain(`speckle ${seed}`, { kind: 'speckle', mean: 70, seed });
  // Blobs: discs and rings with hard and soft edges, the kind of structure a radiograph has.
  for (const seed of [21, 22]) {
    const random = seededRandom(seed);
    const data = new Uint8Array(512 * 512);
    const discs = Array.from({ length: 12 }, () => ({ x: random() * 512, y: random() * 512, r: 10 + random() * 90, v: 60 + random() * 180 }));
    for (let y = 0; y < 512; y++) {
      for (let x = 0; x < 512; x++) {
        let v = 30;
        for (const d of discs) {
          const dist = Math.hypot(x - d.x, y - d.y);
          if (dist < d.r) v = Math.max(v, d.v * (1 - (dist / d.r) ** 4));
        }
        data[y * 512 + x] = Math.round(v);
      }
    }
    images.push({ name: `discs ${seed}`, image: { width: 512, height: 512, data } });
  }
  return images;
}

export interface CineCase {
  frames: TextImage[];
  /** The frame that alone carries an extra string (text that appears on one frame only). */
  onlyFrame: number;
  onlyText: string;
}

/**
 * An ultrasound-like cine: speckle that changes every frame, a static overlay (name, ID, date, 10–14 px) on
 * every frame, and one string that appears on a single frame only.
 */
export function cineCase(frameCount = 100, size = 256, onlyFrame = Math.floor(frameCount * 0.57)): CineCase {
  const onlyText = 'DOE^JANE 1990-02-03';
  const overlay: TextItem[] = [
    { text: 'SMITH^JOHN', font: 'Test Sans', size: 10, x: 3, y: 3, value: 240 },
    { text: 'ID 00123456', font: 'Test Mono', size: 11, x: size - 3 - measureText('ID 00123456', 'Test Mono', 11).width, y: 3, value: 240 },
    { text: '14.03.1987', font: 'Test Serif', size: 12, x: 3, y: size - 16, value: 240 },
  ];
  const frames: TextImage[] = [];
  for (let frame = 0; frame < frameCount; frame++) {
    const items = frame === onlyFrame ? [...overlay, { text: onlyText, font: 'Test Condensed Bold' as const, size: 14, x: 60, y: size / 2, value: 250 }] : overlay;
    frames.push(drawTextImage({ width: size, height: size, background: { kind: 'speckle', mean: 70, seed: 1000 + frame }, items }));
  }
  return { frames, onlyFrame, onlyText };
}
