// The anonymize run's --report: one JSON object {"formatVersion", "files": [...], "summary": {...}}, the files in input
// order, written as they are recorded (streamed into an atomic file, renamed into place at the end) and read back by
// review. Never a value of a data element: statuses, paths, reasons with byte offsets and tag paths, counts.

import { z } from 'zod';
import { parseJsonRecord, readJsonRecord } from './json-record.js';
import { RectangleSchema } from './rectangle.js';
import { escapeControls, type CommittableSink } from './text-files.js';
import { FORMAT_VERSIONS } from './version.js';

/** The burned-in step's verdicts, as the report and audit name them. */
export const BURNED_IN_STATUSES = ['not-at-risk', 'redacted', 'nothing-to-blank', 'quarantine', 'fail', 'kept-at-risk'] as const;

/** What the burned-in step decided for one file (no values): the report's `burnedIn` and the audit's burned-in lines. */
export const BurnedInRecordSchema = z.object({
  status: z.enum(BURNED_IN_STATUSES),
  atRisk: z.boolean(),
  reasons: z.array(z.string()),
  rulesMatched: z.array(z.string()),
  /** Quarantined, failed or kept at risk: why (no values). */
  reason: z.string().optional(),
  framesRedacted: z.array(z.int().nonnegative()).optional(),
  /** Text detection (policy redact): boxes found, boxes kept by the keep-list, header attribute keywords the read text matched. */
  text: z.object({ boxes: z.int().nonnegative(), kept: z.int().nonnegative(), matched: z.array(z.string()) }).optional(),
  /** Redacted: the rectangles blanked (rules' and detected text's), in pixels (the review page outlines them). */
  rectangles: z.array(RectangleSchema).optional(),
  /** What the pixel step changed besides blanking (Pixel Data cut to its frames, bits cleared, syntax changed); no values. */
  notes: z.array(z.string()).optional(),
  /**
   * Frames the run decoded and encoded again (0-based), the syntax they were written in and whether that encoding is
   * lossy: every pixel of a lossy re-encoded frame may differ from the original by the codec's error (verify allows it).
   */
  reencoded: z.object({ syntax: z.string(), frames: z.array(z.int().nonnegative()), lossy: z.boolean() }).optional(),
  /** Frames (0-based) whose bits outside Bits Stored the run cleared: only the Bits Stored bits are the image. */
  bitsCleared: z.array(z.int().nonnegative()).optional(),
});
export type BurnedInRecord = z.infer<typeof BurnedInRecordSchema>;

export const FILE_STATUSES = ['ok', 'failed', 'skipped', 'quarantined'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/** One input of the run. */
export const ReportEntrySchema = z.object({
  input: z.string(),
  /** Quarantined: the file in the quarantine folder. */
  output: z.string().nullable(),
  status: z.enum(FILE_STATUSES),
  /** Failed: the reason, with byte offset and tag path where known. */
  error: z.string().optional(),
  /** Skipped: why (not DICOM, DICOMDIR, output exists, ...). Quarantined: why (no values). */
  note: z.string().optional(),
  /** Delivered with a warning (--burned-in keep). */
  warning: z.string().optional(),
  /** The burned-in step, for files at risk or matched by a pixel rule: gate reasons, rules matched, what was done. */
  burnedIn: BurnedInRecordSchema.optional(),
});
export type ReportEntry = z.infer<typeof ReportEntrySchema>;

const count = z.int().nonnegative();

/** The untouched-PHI warning, as data: one entry per attribute, in tag order (keywords, tags, file counts; no values). */
export const UntouchedByRulesSchema = z.object({
  attributes: z.array(z.object({ tag: z.string(), keyword: z.string(), files: count })),
  suggestion: z.string(),
});
export type UntouchedByRules = z.infer<typeof UntouchedByRulesSchema>;

/** The run summed up: the report's `summary`, and the core of what runBatch returns (src/batch/run.ts BatchSummary). */
export const RunSummarySchema = z.object({
  ok: count,
  failed: count,
  skipped: count,
  quarantined: count,
  /** Why files were quarantined: each distinct reason (no values) and how many files. */
  quarantineReasons: z.array(z.object({ reason: z.string(), files: count })),
  /** Where the quarantined files are (null when none was written). */
  quarantineFolder: z.string().nullable(),
  bytesIn: z.number().nonnegative(),
  bytesOut: z.number().nonnegative(),
  seconds: z.number().nonnegative(),
  filesPerSecond: z.number().nonnegative(),
  megabytesPerSecond: z.number().nonnegative(),
  jobs: count,
  layout: z.string(),
  dryRun: z.boolean(),
  /** "index/count" of --shard; null for a whole run. */
  shard: z.string().nullable(),
  /** Keyed digest of the key and the Plan (batch/fingerprint.ts): `merge` refuses shards that ran under different ones. */
  runFingerprint: z.string().optional(),
  /** --fail-fast stopped the batch before every file was processed. */
  stoppedEarly: z.boolean(),
  /**
   * A rules file without the profile: the attributes the Basic Profile would change that the inputs hold and the rules
   * left untouched, with the suggested fix. Absent otherwise.
   */
  untouchedByRules: UntouchedByRulesSchema.optional(),
  /**
   * How many Patient IDs (with their issuer) were seen with more than one patient name or birth date in this run:
   * two patients may share an ID. A count only; absent when none.
   */
  patientIdConflicts: count.optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const RunReportSchema = z.object({
  formatVersion: z.literal(FORMAT_VERSIONS.report),
  files: z.array(ReportEntrySchema),
  summary: RunSummarySchema,
});
export type RunReport = z.infer<typeof RunReportSchema>;

/** A parsed record checked: its version (absent: 1), then its shape. RecordError names the file and field. */
export const parseRunReport = (json: unknown, path: string): RunReport => parseJsonRecord('report', RunReportSchema, json, path);

/** Reads an anonymize run's --report file. */
export const readRunReport = (path: string): RunReport => readJsonRecord('report', RunReportSchema, path);

/** The entry as written: the known fields in a fixed order, optional ones only when present. */
function entryJson(entry: ReportEntry): string {
  const clean: ReportEntry = { input: entry.input, output: entry.output, status: entry.status };
  if (entry.error !== undefined) clean.error = entry.error;
  if (entry.note !== undefined) clean.note = entry.note;
  if (entry.warning !== undefined) clean.warning = entry.warning;
  if (entry.burnedIn !== undefined) clean.burnedIn = entry.burnedIn;
  return escapeControls(JSON.stringify(clean));
}

/** Streams a report into a sink (an atomic file): entries as they are recorded, the summary at the end. */
export class ReportWriter {
  private first = true;

  constructor(private readonly sink: CommittableSink) {
    sink.writeText(`{"formatVersion": ${FORMAT_VERSIONS.report}, "files": [`);
  }

  add(entry: ReportEntry): void {
    this.sink.writeText(`${this.first ? '\n' : ',\n'}  ${entryJson(entry)}`);
    this.first = false;
  }

  finish(summary: RunSummary): void {
    this.sink.writeText(`${this.first ? '' : '\n'}],\n"summary": ${escapeControls(JSON.stringify(summary))}}\n`);
    this.sink.commit();
  }

  abort(): void {
    this.sink.abort();
  }
}

/** A report's text checked (merge reads the shards' reports, a run over object storage its staged one). */
export const parseRunReportText = (text: string, where: string): RunReport => parseRunReport(JSON.parse(text), where);

/** A whole report as the text ReportWriter streams (a merged report, or one whose entries were changed after the run). */
export function formatRunReport(files: readonly ReportEntry[], summary: RunSummary): string {
  let text = '';
  const writer = new ReportWriter({ writeText: (t: string) => { text += t; }, commit: () => {}, abort: () => {} });
  for (const entry of files) writer.add(entry);
  writer.finish(summary);
  return text;
}
