// Lossy Image Compression attributes (PS3.3 C.7.6.1.1.5): after a lossy re-encode the dataset says so, with the
// ratio and method of this compression appended to those of earlier ones.

import type { DataSet } from '../dicom/dataset.js';
import { getStrings, newStringElement, setString } from '../dicom/values.js';
import { LossyImageCompression, LossyImageCompressionMethod, LossyImageCompressionRatio } from '../dicom/tags.generated.js';

/** A ratio as a DS value (at most 16 characters). */
function decimal(ratio: number): string {
  const text = ratio >= 1000 ? ratio.toFixed(0) : ratio.toPrecision(4);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

function put(dataset: DataSet, tag: number, vr: string, text: string): void {
  const element = dataset.get(tag);
  if (element) setString(dataset, element, text, vr);
  else dataset.put(newStringElement(dataset, tag, vr, text));
}

/**
 * Records one more lossy compression of the pixels: Lossy Image Compression 01, `ratio` appended to Lossy Image
 * Compression Ratio and `method` (e.g. ISO_10918_1) to Lossy Image Compression Method.
 */
export function markLossyCompression(dataset: DataSet, ratio: number, method: string): void {
  put(dataset, LossyImageCompression, 'CS', '01');
  const ratioElement = dataset.get(LossyImageCompressionRatio);
  const methodElement = dataset.get(LossyImageCompressionMethod);
  const ratios = ratioElement ? getStrings(dataset, ratioElement) : [];
  const methods = methodElement ? getStrings(dataset, methodElement) : [];
  put(dataset, LossyImageCompressionRatio, 'DS', [...ratios, decimal(ratio)].join('\\'));
  put(dataset, LossyImageCompressionMethod, 'CS', [...methods, method].join('\\'));
}

/** Sets Lossy Image Compression to 01 (the pixels were lossy compressed once), leaving ratio and method alone. */
export function markLossyHistory(dataset: DataSet): void {
  put(dataset, LossyImageCompression, 'CS', '01');
}
