// The burned-in step's first half, decided on the ORIGINAL dataset before any rule runs: the gate's verdict, the
// rectangle rules' rectangles and, under policy redact, the header values that text read in the pixels is matched
// against. finish.ts completes it after the metadata walk.

import type { DataSet } from '../../dicom/dataset.js';
import type { ByteSource } from '../../dicom/source.js';
import type { Rectangle } from '../../pixels/index.js';
import type { PixelPlan } from '../../plan/plan.js';
import { assessRisk, deliveredRisk, documentSnapshot, withRuleFlags, type DocumentSnapshot, type GateVerdict } from './gate.js';
import { SAMPLED_SERIES_REASON } from './series-sample.js';
import { attributeText } from './attributes.js';
import { SeriesInstanceUID } from '../../dicom/tags.generated.js';
import type { BurnedInAssessment } from './outcome.js';
import { evaluatePixelRules } from './rules.js';
import { identifyingHeaderValues, type PixelHeaderTerms } from './text-match.js';
import { HeaderTerms } from '../../identifying/index.js';

/** What the sync path found on the ORIGINAL dataset: the gate's verdict and the rules' rectangles, not yet applied. */
export interface PendingPixels {
  assessment: BurnedInAssessment;
  rectangles: Rectangle[];
  hasPixels: boolean;
  encapsulatedDocument: boolean;
  /** A waveform at risk is delivered (gate.waveforms): nothing reads it, so nothing can clean it. */
  waveform: boolean;
  /** The original's Encapsulated Document, to tell after the walk whether the plan replaced or removed it. */
  document: DocumentSnapshot | null;
  /**
   * Bit positions of overlays kept in unused high bits of Pixel Data (60xx,0102 without 60xx,3000) whose group the
   * plan removed: finishPixels clears them from the pixel words, else the overlay survives its removal.
   */
  overlayBits: number[];
  /** Bit positions of such overlays whose group the plan kept: their bits stay in the pixel words. */
  keptOverlayBits: number[];
  /**
   * The original's identifying values (the span finder's strict terms, labelled by attribute keyword) that text read
   * in the pixels is matched against; collected only when text detection will run (policy redact, at risk, Pixel Data).
   */
  headerValues: PixelHeaderTerms;
}

/** The gate and the rectangle rules on the original dataset; overlayBits is filled in after the walk. */
export function assessPixels(dataset: DataSet, source: ByteSource, pixels: PixelPlan): PendingPixels {
  const ruled = evaluatePixelRules(dataset, source, pixels.rules);
  const verdict = withSampledSeries(withRuleFlags(assessRisk(dataset, source, pixels.gate), ruled.flagged), dataset, source, pixels.atRiskSeries);
  return {
    assessment: { atRisk: verdict.atRisk, reasons: verdict.reasons, rulesMatched: ruled.matched },
    rectangles: verdict.hasPixels ? ruled.rectangles : [],
    hasPixels: verdict.hasPixels,
    encapsulatedDocument: verdict.encapsulatedDocument,
    waveform: verdict.waveform === true,
    document: verdict.encapsulatedDocument ? documentSnapshot(dataset) : null,
    overlayBits: [],
    keptOverlayBits: [],
    headerValues: pixels.policy === 'redact' && verdict.atRisk && verdict.hasPixels ? identifyingHeaderValues(dataset, source) : HeaderTerms.EMPTY,
  };
}

/**
 * After the walk: the verdict on what will be delivered (gate.ts deliveredRisk). An Encapsulated Document the plan
 * replaced or removed, a Waveform Sequence it removed, is no longer a risk.
 */
export function settleDelivered(pending: PendingPixels, dataset: DataSet): void {
  const before = {
    atRisk: pending.assessment.atRisk, reasons: pending.assessment.reasons, hasPixels: pending.hasPixels,
    encapsulatedDocument: pending.encapsulatedDocument, ...(pending.waveform ? { waveform: true } : {}),
  };
  const delivered = deliveredRisk(before, dataset, pending.document);
  if (delivered === before) return;
  pending.assessment = { ...pending.assessment, atRisk: delivered.atRisk, reasons: delivered.reasons };
  pending.encapsulatedDocument = delivered.encapsulatedDocument;
  pending.waveform = delivered.waveform === true;
}

/** The plan's list as a set, made once per list (every file of a run looks it up). */
const seriesSets = new WeakMap<readonly string[], ReadonlySet<string>>();
function seriesSet(series: readonly string[]): ReadonlySet<string> {
  let set = seriesSets.get(series);
  if (!set) seriesSets.set(series, (set = new Set(series)));
  return set;
}

/** An image of a series whose sample showed text (PixelPlan.atRiskSeries) is at risk. */
function withSampledSeries(verdict: GateVerdict, dataset: DataSet, source: ByteSource, series: readonly string[] | undefined): GateVerdict {
  if (!series || series.length === 0 || !verdict.hasPixels) return verdict;
  const uid = (attributeText(dataset, source, SeriesInstanceUID) ?? '').trim();
  if (uid === '' || !seriesSet(series).has(uid)) return verdict;
  return { ...verdict, atRisk: true, reasons: [...verdict.reasons, SAMPLED_SERIES_REASON] };
}
