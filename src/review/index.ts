// Library API of `review`: one static HTML page showing what an anonymize run delivers (thumbnails of the outputs
// with redactions outlined, what was done to each attribute, verify's findings), with no original value in it.

import { removeStaleTempsOf, writeFileAtomically } from '../files/atomic-output.js';
import { collectReview, type ReviewOptions } from './collect.js';
import type { ReviewData } from './model.js';
import { renderPage } from './page.js';

export { collectReview, THUMBNAIL_MODES, AUTO_ALL_LIMIT, type ReviewOptions, type ThumbnailMode } from './collect.js';
export { renderPage, escapeHtml, contentSecurityPolicy } from './page.js';
export type { ReviewData, ReviewInstance, ReviewSeries, ReviewSummary, AttributeRow } from './model.js';

/** Builds the page and writes it atomically to `htmlPath`; returns its data (for the command's summary line). */
export async function writeReviewPage(options: ReviewOptions, htmlPath: string): Promise<ReviewData> {
  const data = await collectReview(options);
  removeStaleTempsOf(htmlPath);
  writeFileAtomically(htmlPath, renderPage(data));
  return data;
}
