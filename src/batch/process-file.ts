// One input file through read → anonymize → atomic write. Any failure becomes a result with a typed, value-free
// error message; no output remains for a failed file.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { readDicomFile } from '../dicom/part10.js';
import { writeDicomFile } from '../dicom/writer.js';
import { DicomParseError, DicomWriteError } from '../dicom/errors.js';
import { AnonymizeError } from '../anonymize/context.js';
import type { Anonymizer, AuditEntry } from '../anonymize/anonymizer.js';
import type { OriginalIdentity } from '../anonymize/context.js';

export interface FileResult {
  input: string;
  output: string | null;
  status: 'ok' | 'failed' | 'skipped';
  error?: string;
  bytesIn: number;
  bytesOut: number;
  /** Old → new identifiers, for the mapping export. */
  mapping?: { patientId: [string, string][]; uids: [string, string][]; original: OriginalIdentity };
}

/** A message for the report: the error's own text (ours never carry values), or the kind of system error. */
export function describeError(error: unknown): string {
  if (error instanceof DicomParseError || error instanceof DicomWriteError || error instanceof AnonymizeError) return error.message;
  const e = error as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string') return `${e.code}: ${e.syscall ?? 'file system'} failed`;
  return `internal error: ${(e && e.name) || 'Error'}`;
}

export function processFile(
  anonymizer: Anonymizer,
  input: string,
  output: string,
  options: { audit?: (entry: AuditEntry) => void; dryRun?: boolean } = {},
): FileResult {
  let file;
  try {
    file = readDicomFile(input);
  } catch (error) {
    return { input, output: null, status: 'failed', error: describeError(error), bytesIn: 0, bytesOut: 0 };
  }
  try {
    const result = anonymizer.anonymizeFile(file, options.audit);
    let bytesOut = 0;
    if (!options.dryRun) {
      mkdirSync(dirname(output), { recursive: true });
      bytesOut = writeDicomFile(file, output);
    }
    return {
      input, output: options.dryRun ? null : output, status: 'ok', bytesIn: file.source.size, bytesOut,
      mapping: { patientId: [...result.facts.patientIdMap], uids: [...result.facts.uidMap], original: result.original },
    };
  } catch (error) {
    const message = describeError(error);
    return { input, output: null, status: 'failed', error: message.startsWith(input) ? message : `${input}: ${message}`, bytesIn: file.source.size, bytesOut: 0 };
  } finally {
    file.close();
  }
}
