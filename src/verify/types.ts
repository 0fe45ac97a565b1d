// What `verify` reports: findings per output file, each with a severity, a tag path, a kind and a MASKED value.
// A value is never carried whole in a finding (see mask.ts), so reports can be shared without re-leaking it.

import type { ProfileOption } from '../plan/plan.js';
import type { Severity } from '../records/index.js';

/** The severities of a finding: declared once, with the findings record's format (src/records/findings.ts). */
export type { Severity } from '../records/index.js';

export type FindingKind =
  /** A value collected from the original (see identifying.ts) found in the output's decoded text. */
  | 'identifying-value'
  /** The same, found only in the raw bytes of the output (OB, UN, a second encoding...). */
  | 'identifying-value-raw'
  /** A value of the original (name part, ID, accession, birth or study date, institution) in the output's path. */
  | 'identifying-value-in-path'
  | 'private-element'
  | 'uid-not-remapped'
  | 'date-unchanged'
  | 'marker-missing'
  | 'marker-wrong'
  | 'meta-mismatch'
  | 'pixel-data-changed'
  | 'unreadable'
  | 'unpaired'
  /** Scan of outputs alone (no originals): patterns in free text. */
  | 'pattern-name'
  | 'pattern-date'
  | 'pattern-id'
  | 'pattern-phone'
  | 'pattern-email'
  | 'pattern-address'
  | 'pattern-url'
  | 'pattern-ip'
  | 'pattern-age'
  /** At risk of burned-in text by the default gate, without code 113101 (Clean Pixel Data Option). */
  | 'burned-in-not-cleaned'
  /** --pixels: text read in the pixels that matches an identifying value of the original (high). */
  | 'pixel-text-identifying'
  /** --pixels: other text found in the pixels (low). */
  | 'pixel-text'
  /** --pixels: the frames could not be decoded, so the text check did not run. */
  | 'pixels-undecodable'
  /** --mapping: the Patient ID is not the pseudonym patient_id.csv gives the original's Patient ID and issuer. */
  | 'patient-id-not-mapped';

export interface Finding {
  severity: Severity;
  /** "(0008,1140)[0].(0008,1155)"; "" when the finding is about the whole file. */
  tagPath: string;
  kind: FindingKind;
  /** Human-readable, never contains a value. */
  message: string;
  /** First character + length, e.g. "S…(12)"; null when no value is involved. */
  masked: string | null;
}

export interface FileReport {
  output: string;
  /** The original it was compared with; null for a scan of outputs alone or an unpaired output. */
  input: string | null;
  findings: Finding[];
  /** Compared with its original (paired, and both read): only these count as verified. */
  verified: boolean;
  /** Why it was not (no original paired, the original unreadable, no originals given): it was only scanned. */
  notVerified?: string;
}

export interface Summary {
  files: number;
  filesWithFindings: number;
  findings: number;
  high: number;
  medium: number;
  low: number;
  /** Outputs compared with their originals. */
  verified: number;
  /** Outputs that were not (listed with why): scanned for patterns only. */
  notVerified: number;
  /** true when verify --pixels read the pixels of the files (absent: attributes only). */
  pixels?: boolean;
}

export interface VerifyReport {
  files: FileReport[];
  summary: Summary;
}

export interface VerifyOptions {
  /** PS3.15 options the outputs were made with (decide what the profile keeps). */
  options?: readonly ProfileOption[];
}

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { high: 3, medium: 2, low: 1 };

/** Why outputs scanned without originals are not verified. */
export const NO_ORIGINALS = 'no originals given (-i): scanned for patterns only';
