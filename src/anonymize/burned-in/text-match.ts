// Does text read in the pixels match the header's identifying values? Used to mark detected boxes in the report
// and audit (by attribute keyword, never the value), to refuse the keep-list a box whose words are a header value,
// and by verify --pixels. Redaction never depends on it: the recogniser reads less well than the detector finds.
//
// A thin use of the span finder (src/identifying): its strict term set (every form down to a middle initial or a
// two-letter ID), compared in its OCR mode (upper case, accents dropped, spaces and punctuation dropped, O read as 0
// and I as 1; short forms only as whole words). The names, dates, generic words and thresholds are all the finder's.

import type { DataSet } from '../../dicom/dataset.js';
import type { ByteSource } from '../../dicom/source.js';
import { HeaderTerms, headerValuesOf } from '../../identifying/index.js';

/** The original's identifying values, compiled for matching text read in the pixels (labels are attribute keywords). */
export type PixelHeaderTerms = HeaderTerms;

/**
 * The identifying values of a dataset's top level (and Other Patient IDs Sequence) as the finder's strict terms:
 * the attributes are the finder's (src/identifying/dataset-values.ts), one list for cleaning, verify and pixels.
 */
export function identifyingHeaderValues(dataset: DataSet, source?: ByteSource): PixelHeaderTerms {
  return HeaderTerms.of(headerValuesOf(dataset, source), { strict: true });
}

/**
 * Keywords of the header values the text matches (each once). Forms shorter than `minFormLength` are not looked
 * for: 1 (all) for the keep-list, where a middle initial "R" must refuse the marker "R"; verify uses 2, since a
 * one-character reading ("i" for a Study ID "1") is noise, not a finding.
 */
export function matchHeaderValues(text: string, terms: PixelHeaderTerms, minFormLength = 1): string[] {
  return terms.labels(text, true, minFormLength);
}

/**
 * True when a box may stay unblanked: the text has at least one word, every word is on the keep-list, and the text
 * matches no header value (a keep-list word that is also the patient's name or ID is blanked).
 */
export function isKeepListText(text: string, keepWords: ReadonlySet<string>, terms: PixelHeaderTerms): boolean {
  const words = text.toUpperCase().split(/[^A-Z0-9]+/).filter((w) => w !== '');
  if (words.length === 0 || !words.every((w) => keepWords.has(w))) return false;
  return matchHeaderValues(text, terms).length === 0;
}
