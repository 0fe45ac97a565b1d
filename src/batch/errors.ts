// Errors of a batch: the caller's fault (bad flags, overlapping paths: the CLI exits with code 1), and how any error
// of one file is told in the report.

import { AnonymizeError } from '../anonymize/context.js';
import { DicomParseError, DicomWriteError } from '../dicom/errors.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A message for the report: the error's own text (ours never carry values), or the kind of system error. */
export function describeError(error: unknown): string {
  if (error instanceof DicomParseError || error instanceof DicomWriteError || error instanceof AnonymizeError) return error.message;
  const e = error as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string') return `${e.code}: ${e.syscall ?? 'file system'} failed`;
  return `internal error: ${(e && e.name) || 'Error'}`;
}
