// Per-series sampling under policy redact: the gate trusts most original images, yet a series can carry text it does
// not announce (an original CT with the name in a corner). The first, middle and last instance of each series the gate
// trusts are searched, every frame of each; a series whose sample shows text becomes at risk as a whole
// (PixelPlan.atRiskSeries), so every instance of it is searched. Pure decisions here; reading files is the batch's.

import type { DicomFile } from '../../dicom/part10.js';
import type { PixelPlan } from '../../plan/plan.js';
import { identifyingHeaderValues } from './text-match.js';

/** One instance of a series, as the batch found it: its place in the input order and its Instance Number. */
export interface SeriesMember<K> {
  key: K;
  /** Instance Number (0020,0013); null when absent or not a number (then input order decides). */
  instanceNumber: number | null;
}

/** The first, middle and last instance of a series by Instance Number (input order breaks ties), each once. */
export function pickSeriesSample<K>(members: readonly SeriesMember<K>[]): K[] {
  if (members.length === 0) return [];
  const ordered = members
    .map((m, order) => ({ ...m, order }))
    .sort((a, b) => (a.instanceNumber ?? Infinity) - (b.instanceNumber ?? Infinity) || a.order - b.order);
  const picks = [0, Math.floor((ordered.length - 1) / 2), ordered.length - 1];
  return [...new Set(picks)].map((i) => ordered[i].key);
}

/**
 * True when text detection finds text on any frame of `file` that the keep-list does not keep (the same detection
 * the redaction uses: a box that would be blanked).
 */
export async function sampleShowsText(file: DicomFile, pixels: PixelPlan): Promise<boolean> {
  const { detectTextInFile } = await import('./detect.js');
  const found = await detectTextInFile(file, pixels.detection, identifyingHeaderValues(file.dataset, file.datasetSource));
  return found.rectangles.length > 0;
}

/** The reason the gate gives an instance of a series whose sample showed text. */
export const SAMPLED_SERIES_REASON = "its series' sample (first, middle and last instance) shows text";
