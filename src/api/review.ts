// Public entry `dicom-anonymizer/review`: one static HTML page of a run (thumbnails, findings, what was done to each
// attribute), written atomically.

export { writeReviewPage, collectReview, renderPage, THUMBNAIL_MODES, type ReviewOptions, type ThumbnailMode, type ReviewData } from '../review/index.js';
