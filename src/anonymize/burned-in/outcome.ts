// What the burned-in step decided for one file: why it is at risk, what cleaned it, and where it must go. Plain data,
// so a worker can hand it to the batch (report, audit, quarantine) and nothing in it is a value of the file.

import type { Rectangle } from '../../geometry/rectangle.js';

/** The risk gate's verdict on the ORIGINAL dataset, with its reasons ("Modality US", "Burned In Annotation YES"...). */
export interface BurnedInAssessment {
  atRisk: boolean;
  reasons: string[];
  /** Origins of the rectangle rules whose conditions held (plan.pixels.rules[].origin). */
  rulesMatched: string[];
}

/** What text detection found in a file (policy redact): counts and attribute keywords, never a value or the text. */
export interface TextFindings {
  /** Text boxes found over all frames. */
  boxes: number;
  /** Of those, left unblanked because their text was only keep-list words. */
  kept: number;
  /** Keywords of the original header attributes whose values the recognised text matched (e.g. PatientName). */
  matched: string[];
}


export type BurnedInOutcome = BurnedInStatus & {
  /**
   * What the pixel step changed besides blanking, in words without values: Pixel Data cut to its frames, bits outside
   * Bits Stored cleared, frames written in another syntax.
   */
  notes?: string[];
  /** Frames decoded and encoded again (redaction, bits cleared in an encapsulated image), their syntax, lossy or not. */
  reencoded?: Reencoded;
  /** Frames whose bits outside Bits Stored were cleared (native or encapsulated). */
  bitsCleared?: number[];
};

/** Frames written again by a codec: verify compares them with the original allowing the codec's error when lossy. */
export interface Reencoded {
  syntax: string;
  frames: number[];
  lossy: boolean;
}

/** Two re-encodings of one file (the channel pass, then the redaction) as one: frames united, lossy if either was. */
export function mergeReencoded(a: Reencoded | undefined, b: Reencoded | undefined): Reencoded | undefined {
  if (!a || !b) return a ?? b;
  return { syntax: b.syntax, frames: [...new Set([...a.frames, ...b.frames])].sort((x, y) => x - y), lossy: a.lossy || b.lossy };
}

type BurnedInStatus =
  /** Not at risk and no rule matched: Pixel Data untouched. */
  | { status: 'not-at-risk'; assessment: BurnedInAssessment }
  /** Rectangles were blanked (rules, later detected text): deliver, with Burned In Annotation NO and code 113101. */
  | { status: 'redacted'; assessment: BurnedInAssessment; framesRedacted: number[]; lossyReencode: boolean; text?: TextFindings; rectangles: Rectangle[] }
  /**
   * At risk, text detection searched every frame and found nothing to blank (no box, or keep-list words only): Pixel
   * Data delivered byte for byte, marked like a redaction (Burned In Annotation NO, code 113101).
   */
  | { status: 'nothing-to-blank'; assessment: BurnedInAssessment; text: TextFindings }
  /** At risk and nothing cleaned it: write to the quarantine folder (policy quarantine or redact). */
  | { status: 'quarantine'; assessment: BurnedInAssessment; reason: string }
  /** At risk and nothing cleaned it under policy fail, or the pixels could not be decoded/encoded. */
  | { status: 'fail'; assessment: BurnedInAssessment; reason: string }
  /** Policy keep: delivered as is, with a warning; Patient Identity Removed is not YES. */
  | { status: 'kept-at-risk'; assessment: BurnedInAssessment; reason: string };
