// verify's --report (and --json): {"formatVersion", "files": [{output, input, findings: [...]}], "summary": {...}}.
// Each finding has a severity, a tag path, a kind and a MASKED value (first character and length), never a value.

import { z } from 'zod';
import { parseJsonRecord, readJsonRecord } from './json-record.js';
import { escapeControls } from './text-files.js';
import { FORMAT_VERSIONS } from './version.js';

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const FindingSchema = z.object({
  severity: z.enum(SEVERITIES),
  /** "(0008,1140)[0].(0008,1155)"; "" when the finding is about the whole file. */
  tagPath: z.string(),
  /**
   * What was found (src/verify/types.ts FindingKind). A string here: a findings file of the same version from a build
   * that knows more kinds is still read, and shown by its kind's name.
   */
  kind: z.string(),
  /** Human-readable, never contains a value. */
  message: z.string(),
  /** First character + length, e.g. "S…(12)"; null when no value is involved. */
  masked: z.string().nullable(),
});
export type FindingRecord = z.infer<typeof FindingSchema>;

export const FileFindingsSchema = z.object({
  output: z.string(),
  /** The original it was compared with; null for a scan of outputs alone or an unpaired output. */
  input: z.string().nullable(),
  findings: z.array(FindingSchema),
  /**
   * Compared with its original (paired, both read). Absent in files of older builds. An output that was not is listed
   * with why in `notVerified`: it was only scanned for patterns.
   */
  verified: z.boolean().optional(),
  notVerified: z.string().optional(),
});

const count = z.int().nonnegative();

export const FindingsSummarySchema = z.object({
  files: count,
  filesWithFindings: count,
  findings: count,
  high: count,
  medium: count,
  low: count,
  /** Outputs compared with their originals, and outputs that were not (unpaired, original unreadable, no originals). */
  verified: count.optional(),
  notVerified: count.optional(),
  /** true when verify --pixels read the pixels (the review page says whether they were); absent: attributes only. */
  pixels: z.boolean().optional(),
});

export const FindingsReportSchema = z.object({
  formatVersion: z.literal(FORMAT_VERSIONS.findings),
  files: z.array(FileFindingsSchema),
  summary: FindingsSummarySchema,
});
export type FindingsReport = z.infer<typeof FindingsReportSchema>;

/** What verify hands the writer (src/verify/types.ts VerifyReport, structurally). */
export interface FindingsToWrite {
  files: readonly { output: string; input: string | null; findings: readonly FindingRecord[]; verified?: boolean; notVerified?: string }[];
  summary: z.infer<typeof FindingsSummarySchema>;
}

/** The findings file's text: stable field order, two-space indent, controls escaped. */
export function formatFindingsReport(report: FindingsToWrite): string {
  const stable = {
    formatVersion: FORMAT_VERSIONS.findings,
    files: report.files.map((f) => ({
      output: f.output,
      input: f.input,
      findings: f.findings.map((x) => ({ severity: x.severity, tagPath: x.tagPath, kind: x.kind, message: x.message, masked: x.masked })),
      ...(f.verified !== undefined ? { verified: f.verified } : {}),
      ...(f.notVerified !== undefined ? { notVerified: f.notVerified } : {}),
    })),
    summary: { ...report.summary },
  };
  return escapeControls(JSON.stringify(stable, null, 2)) + '\n';
}

/** A parsed record checked: its version (absent: 1), then its shape. RecordError names the file and field. */
export const parseFindingsReport = (json: unknown, path: string): FindingsReport => parseJsonRecord('findings', FindingsReportSchema, json, path);

/** Reads verify's --report file. */
export const readFindingsReport = (path: string): FindingsReport => readJsonRecord('findings', FindingsReportSchema, path);
