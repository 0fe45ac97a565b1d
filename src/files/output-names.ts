// Names of outputs that the anonymize command writes and verify reads back: the study layout's
// <PatientID>/<StudyUID>/<SeriesUID>/<SOPUID>.dcm path, the input-path hash naming an instance without a UID, and
// the prefix of a mirror-layout folder or file name renamed because it held an identifying value (batch/mirror-names.ts).

import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Prefix of a renamed mirror-layout path component: `anon-` + 20 hex digits of a keyed HMAC (+ the extension). */
export const RENAMED_PREFIX = 'anon-';

/** One safe path component: only [A-Za-z0-9._-], no "." / ".." / hidden names, at most 64 characters. */
export function pathComponent(value: string, fallback: string): string {
  const cleaned = value.trim().replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
  if (cleaned === '' || /^\.+$/.test(cleaned)) return fallback;
  return cleaned.startsWith('.') ? `_${cleaned.slice(1)}` : cleaned;
}

/** The anonymized identifiers that name a study-layout path. */
export interface NewIds {
  patientId: string;
  studyUid: string;
  seriesUid: string;
  sopUid: string;
}

/** 16 hex digits naming a study-layout output whose instance has no SOP Instance UID (from its input path). */
export function inputPathHash(relativeInput: string): string {
  return createHash('sha256').update(relativeInput, 'utf8').digest('hex').slice(0, 16);
}

/** Name of a study-layout output without SOP Instance UID: this prefix, then inputPathHash, then .dcm. */
const UNKNOWN_INSTANCE = 'unknown-instance-';

/** The hash in the name of such an output, or null for any other name. */
export function unknownInstanceHash(outputName: string): string | null {
  if (!outputName.startsWith(UNKNOWN_INSTANCE) || !outputName.endsWith('.dcm')) return null;
  const hash = outputName.slice(UNKNOWN_INSTANCE.length, -'.dcm'.length);
  return /^[0-9a-f]{16}$/.test(hash) ? hash : null;
}

/**
 * Relative output path in the study layout. Missing identifiers become "unknown-*"; a file without a SOP Instance
 * UID is named after a hash of its input path (which says nothing about the patient).
 */
export function studyRelativePath(ids: NewIds, relativeInput: string): string {
  const hash = inputPathHash(relativeInput);
  return join(
    pathComponent(ids.patientId, 'unknown-patient'),
    pathComponent(ids.studyUid, 'unknown-study'),
    pathComponent(ids.seriesUid, 'unknown-series'),
    `${pathComponent(ids.sopUid, `${UNKNOWN_INSTANCE}${hash}`)}.dcm`,
  );
}
