// How any error of one file is told in the report (the caller's own faults are UsageErrors, src/files/usage-error.ts).

import { AnonymizeError } from '../anonymize/context.js';
import { DicomParseError, DicomWriteError } from '../dicom/errors.js';

/** A message for the report: the error's own text (ours never carry values), or the kind of system error. */
export function describeError(error: unknown): string {
  if (error instanceof DicomParseError || error instanceof DicomWriteError || error instanceof AnonymizeError) return error.message;
  const e = error as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string') return `${e.code}: ${e.syscall ?? 'file system'} failed`;
  return `internal error: ${(e && e.name) || 'Error'}`;
}
