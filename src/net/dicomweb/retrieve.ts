// DICOMweb as a source of the batch: QIDO-RS finds studies (PS3.18 10.6), WADO-RS retrieves each study's instances as
// stored (PS3.18 10.4: multipart/related; type="application/dicom"; transfer-syntax=*), with Node's fetch. Errors name
// the server and the HTTP status, never what the server sent back.

import { boundaryOf, multipartParts } from './multipart.js';
import { networkReason } from './stow.js';

export interface DicomwebServer {
  /** The DICOMweb root, e.g. http://host:8042/dicom-web (no trailing slash). */
  baseUrl: string;
  headers: Record<string, string>;
}

export class DicomwebError extends Error {
  override name = 'DicomwebError';
}

const STUDY_INSTANCE_UID = '0020000D';

async function get(server: DicomwebServer, path: string, accept: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${server.baseUrl}${path}`, { headers: { ...server.headers, Accept: accept }, signal: AbortSignal.timeout(600_000) });
  } catch (error) {
    throw new DicomwebError(`${server.baseUrl}: ${networkReason(error)}`);
  }
  if (!response.ok && response.status !== 204) {
    await response.arrayBuffer().catch(() => undefined);
    throw new DicomwebError(`${server.baseUrl}${path.split('?')[0]} answered HTTP ${response.status}`);
  }
  return response;
}

/** The Study Instance UIDs a QIDO-RS query (e.g. "ModalitiesInStudy=CT&StudyDate=20240101-20241231") finds. */
export async function queryStudies(server: DicomwebServer, query: string): Promise<string[]> {
  const response = await get(server, `/studies?${query.replace(/^\?/, '')}`, 'application/dicom+json');
  if (response.status === 204) return [];
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new DicomwebError(`${server.baseUrl}/studies: the QIDO-RS answer is not JSON`);
  }
  if (!Array.isArray(json)) throw new DicomwebError(`${server.baseUrl}/studies: the QIDO-RS answer is not a list`);
  const uids = json.map((study) => (study as Record<string, { Value?: unknown[] }>)[STUDY_INSTANCE_UID]?.Value?.[0]);
  return uids.filter((uid): uid is string => typeof uid === 'string' && /^[0-9.]+$/.test(uid));
}

/** Every instance of a study, as stored (Part 10 bytes), by WADO-RS. */
export async function retrieveStudy(server: DicomwebServer, studyUid: string): Promise<Buffer[]> {
  if (!/^[0-9.]+$/.test(studyUid)) throw new DicomwebError('--study takes a UID (digits and dots)');
  const response = await get(server, `/studies/${studyUid}`, 'multipart/related; type="application/dicom"; transfer-syntax=*');
  const boundary = boundaryOf(response.headers.get('content-type'));
  const body = Buffer.from(await response.arrayBuffer());
  if (boundary === null) throw new DicomwebError(`${server.baseUrl}/studies/…: the WADO-RS answer is not multipart`);
  return multipartParts(body, boundary);
}
