// Where each output goes. Mirror: the input tree, same relative paths. Study: new PatientID / new Study Instance
// UID / new Series Instance UID / new SOP Instance UID.dcm, from the anonymized dataset (so no original value
// ever appears in a path). Temporary files of a run, and how a later run recognises them as stale.

import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** One safe path component: only [A-Za-z0-9._-], no "." / ".." / hidden names, at most 64 characters. */
export function pathComponent(value: string, fallback: string): string {
  const cleaned = value.trim().replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
  if (cleaned === '' || /^\.+$/.test(cleaned)) return fallback;
  return cleaned.startsWith('.') ? `_${cleaned.slice(1)}` : cleaned;
}

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

/**
 * Temporary name of a finished study-layout file before the main thread moves it into place (ends in .partial).
 * Named after the input's position in the run, so a file done again (its worker died) overwrites its own staging.
 */
export function stagedName(targetBase: string, stageTag: string, inputIndex: number): string {
  return `.${targetBase}.${stageTag}.i${inputIndex}.staged.partial`;
}

/** The writer's temporary files: `.<name>.<pid>.<8 hex>.<n>.partial` (src/dicom/writer.ts). */
const WRITER_TEMP = /^\.(.+)\.\d+\.[0-9a-f]{8}\.\d+\.partial$/;
const STAGED = /^\.(.+)\.(s\d+of\d+)\.i\d+\.staged\.partial$/;

/**
 * What a leftover temporary file in the output tree was for: the final name it would have been renamed to
 * (mirror layout) and the shard tag of a study-layout staging file; null when the name is not one of ours.
 */
export function parseTempName(name: string): { target: string; stageTag: string | null } | null {
  let base = name;
  const w = WRITER_TEMP.exec(base);
  if (w) base = w[1];
  const s = STAGED.exec(base);
  if (s) return { target: s[1], stageTag: s[2] };
  return w ? { target: base, stageTag: null } : null;
}
