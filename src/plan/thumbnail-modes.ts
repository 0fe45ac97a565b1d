// Which instances of a review page get thumbnails (`review --thumbnails`). Declared once; the review and the CLI's
// choices read it.

export const THUMBNAIL_MODES = ['auto', 'all', 'series', 'none'] as const;
export type ThumbnailMode = (typeof THUMBNAIL_MODES)[number];
