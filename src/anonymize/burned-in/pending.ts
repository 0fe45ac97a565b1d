// The burned-in step's first half, decided on the ORIGINAL dataset before any rule runs: the gate's verdict, the
// rectangle rules' rectangles and, under policy redact, the header values that text read in the pixels is matched
// against. finish.ts completes it after the metadata walk.

import type { DataSet } from '../../dicom/dataset.js';
import type { ByteSource } from '../../dicom/source.js';
import type { Rectangle } from '../../pixels/index.js';
import type { PixelPlan } from '../../plan/plan.js';
import { assessRisk } from './gate.js';
import type { BurnedInAssessment } from './outcome.js';
import { evaluatePixelRules } from './rules.js';
import { identifyingHeaderValues, type HeaderValue } from './text-match.js';

/** What the sync path found on the ORIGINAL dataset: the gate's verdict and the rules' rectangles, not yet applied. */
export interface PendingPixels {
  assessment: BurnedInAssessment;
  rectangles: Rectangle[];
  hasPixels: boolean;
  encapsulatedDocument: boolean;
  /**
   * Bit positions of overlays kept in unused high bits of Pixel Data (60xx,0102 without 60xx,3000) whose group the
   * plan removed: finishPixels clears them from the pixel words, else the overlay survives its removal.
   */
  overlayBits: number[];
  /**
   * The original's identifying values (normalised forms by attribute keyword) that text read in the pixels is
   * matched against; collected only when text detection will run (policy redact, at risk, Pixel Data).
   */
  headerValues: HeaderValue[];
}

/** The gate and the rectangle rules on the original dataset; overlayBits is filled in after the walk. */
export function assessPixels(dataset: DataSet, source: ByteSource, pixels: PixelPlan): PendingPixels {
  const verdict = assessRisk(dataset, source, pixels.gate);
  const ruled = evaluatePixelRules(dataset, source, pixels.rules);
  return {
    assessment: { atRisk: verdict.atRisk, reasons: verdict.reasons, rulesMatched: ruled.matched },
    rectangles: verdict.hasPixels ? ruled.rectangles : [],
    hasPixels: verdict.hasPixels,
    encapsulatedDocument: verdict.encapsulatedDocument,
    overlayBits: [],
    headerValues: pixels.policy === 'redact' && verdict.atRisk && verdict.hasPixels ? identifyingHeaderValues(dataset, source) : [],
  };
}
