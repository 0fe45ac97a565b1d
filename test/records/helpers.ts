// Writing records the way the batch and verify do (through an atomic file) and capturing the error a reader throws.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { AtomicFile } from '../../src/files/atomic-output.js';
import {
  AuditWriter, formatFindingsReport, formatMappingCsv, RecordError, ReportWriter,
  type AuditElementLine, type AuditLine, type FindingsToWrite, type ReportEntry, type RunSummary,
} from '../../src/records/index.js';

export function writeReport(path: string, entries: readonly ReportEntry[], summary: RunSummary): void {
  const writer = new ReportWriter(new AtomicFile(path));
  for (const e of entries) writer.add(e);
  writer.finish(summary);
}

export function writeAudit(path: string, lines: readonly AuditLine[]): void {
  const writer = new AuditWriter(new AtomicFile(path));
  for (const line of lines) {
    if ('burnedIn' in line) writer.addBurnedIn(line.file, line.burnedIn);
    else writer.add(line.file, [line satisfies AuditElementLine]);
  }
  writer.finish();
}

export const writeFindings = (path: string, report: FindingsToWrite): void => writeFileSync(path, formatFindingsReport(report));
export const writeMapping = (path: string, rows: readonly (readonly [string, string])[]): void => writeFileSync(path, formatMappingCsv(rows));

/** The RecordError `read` throws (fails the test when it throws nothing or another error). */
export function recordErrorOf(read: () => unknown): RecordError {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof RecordError, `expected a RecordError, got ${String(error)}`);
    return error;
  }
  assert.fail('the reader accepted it');
}

export const SUMMARY: RunSummary = {
  ok: 2, failed: 1, skipped: 1, quarantined: 1, quarantineReasons: [{ reason: 'at risk: Modality US', files: 1 }], quarantineFolder: '/runs/out-quarantine',
  bytesIn: 123456, bytesOut: 120000, seconds: 0.5, filesPerSecond: 8, megabytesPerSecond: 0.25, jobs: 2, layout: 'mirror', dryRun: false,
  shard: null, stoppedEarly: false,
};
