// The DICOMweb reads the store makes, with Node's fetch: QIDO-RS (PS3.18 10.6) at the study, series and instance
// levels, and WADO-RS (PS3.18 10.4) of one instance as stored (multipart/related; type="application/dicom";
// transfer-syntax=*). Errors name the server, what was asked (never a UID: the caller says which instance of the run)
// and the HTTP status, never what the server sent back.

import { networkReason } from './stow.js';

export interface DicomwebServer {
  /** The DICOMweb root, e.g. http://host:8042/dicom-web (no trailing slash). */
  baseUrl: string;
  headers: Record<string, string>;
}

export class DicomwebError extends Error {
  override name = 'DicomwebError';
  /** Worth another try: a network error, or HTTP 5xx, 408 or 429 (as stow.ts decides for STOW-RS). */
  readonly retryable: boolean;

  constructor(message: string, retryable = false) {
    super(message);
    this.retryable = retryable;
  }
}

/** The Accept of a WADO-RS retrieve of instances as stored. */
export const WADO_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*';

const STUDY_INSTANCE_UID = '0020000D';
const SERIES_INSTANCE_UID = '0020000E';
const SOP_INSTANCE_UID = '00080018';

/** A valid UID: digits and dots, at most 64 characters (what --study takes). */
export const isUid = (text: string): boolean => /^[0-9]+(\.[0-9]+)*$/.test(text) && text.length <= 64;

/** A UID as one path segment of a request. */
export const segment = (uid: string): string => encodeURIComponent(uid);

/** GETs `path` below the root; `what` names the request in errors (e.g. "QIDO-RS series of study 2 of the run"). */
export async function get(server: DicomwebServer, path: string, accept: string, what: string, signal?: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    const timeout = AbortSignal.timeout(600_000);
    response = await fetch(`${server.baseUrl}${path}`, { headers: { ...server.headers, Accept: accept }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (error) {
    throw new DicomwebError(`${server.baseUrl}: ${what}: ${networkReason(error)}`, true);
  }
  if (!response.ok && response.status !== 204) {
    await response.arrayBuffer().catch(() => undefined);
    const status = response.status;
    throw new DicomwebError(`${server.baseUrl}: ${what} answered HTTP ${status}`, status >= 500 || status === 408 || status === 429);
  }
  return response;
}

/** The UIDs (`tag`) of a QIDO-RS answer: a JSON list of DICOM JSON objects; 204 is none. */
async function queryUids(server: DicomwebServer, path: string, tag: string, what: string): Promise<string[]> {
  const response = await get(server, path, 'application/dicom+json', what);
  if (response.status === 204) return [];
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new DicomwebError(`${server.baseUrl}: ${what}: the answer is not JSON`);
  }
  if (!Array.isArray(json)) throw new DicomwebError(`${server.baseUrl}: ${what}: the answer is not a list`);
  const uids = json.map((item) => (item as Record<string, { Value?: unknown[] } | undefined>)[tag]?.Value?.[0]);
  // Any non-empty value, even one that is not a valid UID (archives hold such): it only goes into a request's path,
  // encoded (segment()), never into a name.
  return uids.filter((uid): uid is string => typeof uid === 'string' && uid.length > 0);
}

/** The Study Instance UIDs a QIDO-RS query (e.g. "ModalitiesInStudy=CT&StudyDate=20240101-20241231") finds. */
export function queryStudies(server: DicomwebServer, query: string): Promise<string[]> {
  return queryUids(server, `/studies?${query.replace(/^\?/, '')}`, STUDY_INSTANCE_UID, 'QIDO-RS /studies');
}

/** The Series Instance UIDs of a study (QIDO-RS /studies/{study}/series). */
export function querySeries(server: DicomwebServer, study: string, what: string): Promise<string[]> {
  return queryUids(server, `/studies/${segment(study)}/series`, SERIES_INSTANCE_UID, what);
}

/** The SOP Instance UIDs of a series (QIDO-RS /studies/{study}/series/{series}/instances). */
export function queryInstances(server: DicomwebServer, study: string, series: string, what: string): Promise<string[]> {
  return queryUids(server, `/studies/${segment(study)}/series/${segment(series)}/instances`, SOP_INSTANCE_UID, what);
}
