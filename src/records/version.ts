// The format version every run file carries, and the one rule for reading it: a file without one was written before
// versions existed and is read as version 1; a version this build does not know is refused, never guessed at.

import { RecordError } from './errors.js';

/**
 * Version of each record format written by this build. A field added as optional keeps the version (readers of the
 * same version ignore what they do not know); a field removed, renamed or given another meaning raises it.
 */
export const FORMAT_VERSIONS = {
  report: 1,
  audit: 1,
  findings: 1,
  mapping: 2,
  nameDigests: 1,
  gatewayReport: 1,
  gatewayStatus: 1,
} as const;

export type RecordKind = keyof typeof FORMAT_VERSIONS;

const TITLES: Readonly<Record<RecordKind, string>> = {
  report: "anonymize run's report (--report)",
  audit: "anonymize run's audit (--audit)",
  findings: "verify's report (--report)",
  mapping: 'mapping CSV (--mapping)',
  nameDigests: "scan's name digests (--names)",
  gatewayReport: "gateway's report (serve --report)",
  gatewayStatus: "gateway's status file (serve --status-file)",
};

/** What a kind of record is called in errors. */
export const recordTitle = (kind: RecordKind): string => TITLES[kind];

/**
 * The version a record declares (`formatVersion`), checked: absent is 1 (files from before versions); anything
 * other than a version this build reads is a RecordError naming the file (and line).
 */
export function checkVersion(kind: RecordKind, declared: unknown, file: string, line: number | null): number {
  if (declared === undefined) return 1;
  const known = FORMAT_VERSIONS[kind];
  if (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 1) {
    throw new RecordError(file, line, `not a ${recordTitle(kind)}: formatVersion is not a positive whole number`);
  }
  if (declared !== known) {
    throw new RecordError(
      file, line,
      `${recordTitle(kind)} of format version ${declared}, which this build does not read (it reads version ${known})` +
        (declared > known ? ': use a newer dicom-anonymizer' : ''),
    );
  }
  return declared;
}
