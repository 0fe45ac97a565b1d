// A whole study by one WADO-RS request (PS3.18 10.4, bytes as stored), held in memory: for reading back a few
// instances (tests, tools). The batch never uses it: a DICOMweb input is read instance by instance, streamed, through
// the DICOMweb store (src/storage/dicomweb/store.ts).

import { DicomwebError, get, isUid, WADO_ACCEPT, type DicomwebServer } from '../../storage/dicomweb/client.js';
import { boundaryOf, multipartParts } from '../../storage/dicomweb/multipart.js';

export { DicomwebError, queryStudies, type DicomwebServer } from '../../storage/dicomweb/client.js';

/** Every instance of a study, as stored (Part 10 bytes). */
export async function retrieveStudy(server: DicomwebServer, studyUid: string): Promise<Buffer[]> {
  if (!isUid(studyUid)) throw new DicomwebError('--study takes a UID (digits and dots)');
  const response = await get(server, `/studies/${studyUid}`, WADO_ACCEPT, 'WADO-RS of a study');
  const boundary = boundaryOf(response.headers.get('content-type'));
  const body = Buffer.from(await response.arrayBuffer());
  if (boundary === null) throw new DicomwebError(`${server.baseUrl}/studies/…: the WADO-RS answer is not multipart`);
  return multipartParts(body, boundary);
}
