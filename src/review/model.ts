// The review page's data: plain JSON, embedded in the page and rendered there page by page. Built only from the
// OUTPUT files (values masked unless showValues), the run's report and audit (statuses, actions, rules, rectangles:
// no values) and verify's findings (masked). No original value and no original path is ever put into it.

import type { Rectangle } from '../geometry/rectangle.js';
import type { Severity } from '../verify/types.js';
import type { Thumbnail } from './thumbnails.js';

export interface ReviewFinding {
  severity: Severity;
  kind: string;
  tagPath: string;
  message: string;
  masked: string | null;
}

export interface ReviewInstance {
  id: number;
  series: number;
  /** Path below the output folder (ok files) or below the quarantine folder (quarantined files). */
  path: string;
  status: 'ok' | 'quarantined';
  instanceNumber: string | null;
  rows: number | null;
  columns: number | null;
  frames: number | null;
  photometric: string | null;
  thumbnails: Thumbnail[];
  /** Why there are no thumbnails (no pixel data, quarantined, one per series...). */
  thumbnailNote: string | null;
  /** The burned-in step, from the run's report: its status and the rectangles blanked. */
  burnedIn: { status: string; reasons: string[]; rectangles: Rectangle[] } | null;
  /** Why it was quarantined, from the run's report, with any original path replaced by `path`. */
  quarantineReason: string | null;
  findings: ReviewFinding[];
  /**
   * Quarantined files: what the audit says was done to each of their attributes, with their own (masked) values.
   * Empty for outputs, whose rows are in their series' table (what leaves).
   */
  attributes: AttributeRow[];
}

export interface AttributeRow {
  /** Tag path with item numbers folded to [*]. */
  path: string;
  keyword: string;
  action: string;
  origin: string;
  /** Instances of the series the row applies to. */
  instances: number;
  /**
   * Output values at the path: at most three distinct ones, masked unless showValues, or unless the attribute is of a
   * kept, non-identifying vocabulary (plain-values.ts) that the audit (when given) says was kept.
   */
  values: string[];
}

export interface ReviewSeries {
  id: number;
  study: number;
  modality: string;
  seriesNumber: string | null;
  /** Series Description of the outputs, masked unless showValues; null when absent. */
  description: string | null;
  instances: number[];
  attributes: AttributeRow[];
}

export interface ReviewStudy {
  id: number;
  series: number[];
}

export interface ReviewSummary {
  /** From the run's report (null without --report). */
  run: { ok: number; failed: number; skipped: number; quarantined: number; layout: string | null; dryRun: boolean } | null;
  outputs: number;
  quarantinedShown: number;
  studies: number;
  series: number;
  redacted: number;
  /** null when verify did not run and no findings were given. */
  findings: { high: number; medium: number; low: number; filesWithFindings: number } | null;
  /** Whether the findings include verify --pixels' reading of the pixels (false: attributes only, or no findings). */
  pixelsVerified: boolean;
  /** Profile and options: CID 7050 code meanings found in the outputs' De-identification Method Code Sequence. */
  methods: string[];
  /** Our De-identification Method texts found in the outputs. */
  methodTexts: string[];
}

export interface ReviewData {
  summary: ReviewSummary;
  studies: ReviewStudy[];
  series: ReviewSeries[];
  instances: ReviewInstance[];
  /** What the page does and does not show (thumbnail mode, values masked...). */
  notes: string[];
  showValues: boolean;
}
