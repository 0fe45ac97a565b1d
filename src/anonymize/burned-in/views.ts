// The pictures of one frame that text detection searches: what a reader could see, not only the plain 8-bit map.
//
// - plain: the pixel layer's picture (monochrome deeper than 8 bits: the frame's min..max; colour as RGB);
// - window: a monochrome frame at the file's own VOI (VOI LUT, else Window Center/Width, after Rescale), as a
//   viewer shows it. A label 40 units above soft tissue on a 12-bit CT is 2 grey levels at min..max and plain
//   black-on-white at the window;
// - local contrast: faint tiles of the plain (or window) picture stretched (src/ocr/enhance.ts);
// - colour: for colour frames, the chroma picture (coloured text whose luma matches its ground), and for YBR
//   frames (shown as luma by the pixel layer) the RGB picture.
// Views that are byte-identical to one already listed are dropped.

import { createHash } from 'node:crypto';
import type { DataSet } from '../../dicom/dataset.js';
import type { ByteSource } from '../../dicom/source.js';
import { applyVoi, displayImage, greyDisplay, isMonochrome, sampleIndexer, storedSamples, ybrToRgb, type DisplayImage, type ImageDescription, type PixelLayout } from '../../pixels/index.js';

export type ViewName = 'plain' | 'window' | 'local-contrast' | 'colour' | 'rgb';

export interface FrameView {
  name: ViewName;
  picture: DisplayImage;
  /** Where the picture's top-left pixel lies in the frame (a view may show part of it); absent: (0, 0). */
  offset?: { x: number; y: number };
}

/** Functions of the ocr layer that make the enhanced pictures (passed in: the ocr layer is loaded lazily). */
export interface Enhancers {
  withLocalContrast(image: DisplayImage): { width: number; height: number; data: Uint8Array; channels?: 1 | 3; offset: { x: number; y: number } } | null;
  colourDistance(image: DisplayImage): { width: number; height: number; data: Uint8Array; channels?: 1 | 3 } | null;
}

const asDisplay = (p: { width: number; height: number; data: Uint8Array; channels?: 1 | 3 }): DisplayImage => ({ width: p.width, height: p.height, data: p.data, channels: p.channels ?? 1 });

/** The monochrome frame at its VOI; null when the file has no window or VOI LUT, or the frame is not monochrome. */
export function windowPicture(data: Uint8Array, layout: PixelLayout, image: ImageDescription, dataset: DataSet, source: ByteSource, frame: number): DisplayImage | null {
  if (!isMonochrome(layout.photometricInterpretation) || layout.samplesPerPixel !== 1) return null;
  const display = greyDisplay(dataset, source, image, frame);
  if (display.voi.kind === 'minmax') return null;
  const pixels = layout.rows * layout.columns;
  const samples = storedSamples(data, layout, sampleIndexer(data, layout).count);
  const out = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) {
    const v = applyVoi(samples[p] * display.slope + display.intercept, display.voi, 0, 0);
    out[p] = display.invert ? 255 - v : v;
  }
  return { width: layout.columns, height: layout.rows, channels: 1, data: out };
}

/** A YBR frame as RGB (the pixel layer's picture of it is its luma only); null for other photometrics. */
function ybrPicture(data: Uint8Array, layout: PixelLayout): DisplayImage | null {
  const photometric = layout.photometricInterpretation;
  if (!photometric.startsWith('YBR') || layout.samplesPerPixel !== 3 || layout.bitsAllocated !== 8) return null;
  const pixels = layout.rows * layout.columns;
  const { count, at } = sampleIndexer(data, layout);
  const samples = storedSamples(data, layout, count);
  const out = new Uint8Array(pixels * 3);
  const partial = photometric.startsWith('YBR_PARTIAL');
  for (let p = 0; p < pixels; p++) {
    const [r, g, b] = ybrToRgb(samples[at(p, 0)], samples[at(p, 1)], samples[at(p, 2)], partial);
    out[p * 3] = r;
    out[p * 3 + 1] = g;
    out[p * 3 + 2] = b;
  }
  return { width: layout.columns, height: layout.rows, channels: 3, data: out };
}

/** Every picture of frame `frame` to search, the plain one first. */
export function frameViews(
  data: Uint8Array, layout: PixelLayout, image: ImageDescription, dataset: DataSet, source: ByteSource, frame: number, enhance: Enhancers,
): FrameView[] {
  const views: FrameView[] = [];
  const seen = new Set<string>();
  const add = (name: ViewName, picture: DisplayImage | null, offset?: { x: number; y: number }): void => {
    if (!picture) return;
    const key = createHash('sha1').update(picture.data).update(`${picture.channels},${picture.width},${offset?.x ?? 0},${offset?.y ?? 0}`).digest('hex');
    if (seen.has(key)) return;
    seen.add(key);
    views.push(offset ? { name, picture, offset } : { name, picture });
  };
  const plain = displayImage(data, layout, image, dataset, source);
  add('plain', plain);
  const window = windowPicture(data, layout, image, dataset, source, frame);
  add('window', window);
  const rgb = ybrPicture(data, layout);
  add('rgb', rgb);
  const colourSource = rgb ?? (plain.channels === 3 ? plain : null);
  if (colourSource) {
    const colour = enhance.colourDistance(colourSource);
    add('colour', colour && asDisplay(colour));
  }
  const faint = enhance.withLocalContrast(window ?? plain);
  if (faint) add('local-contrast', asDisplay(faint), faint.offset);
  return views;
}
