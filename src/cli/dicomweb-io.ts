// The anonymize command's DICOMweb flags (--study, --qido, --http-header, --ca-file) as the request the batch's
// DICOMweb store takes (src/storage/dicomweb/store.ts): the batch opens a dicomweb+http(s):// input or output through
// the storage port like a bucket, and checks the flags' combinations itself (runStoredBatch).

import { isDicomwebUrl, type DicomwebRequest } from '../api/batch.js';
import { parseHeader } from '../api/net.js';
import { trustCaFile } from './ca-file.js';

export interface DicomwebFlags {
  input: string;
  output: string;
  studies: string[];
  qido?: string;
  headers: string[];
  caFile?: string;
}

/** The DICOMweb request of a run, or undefined when neither side is DICOMweb and no DICOMweb flag is given. */
export function dicomwebRequest(flags: DicomwebFlags): DicomwebRequest | undefined {
  const web = isDicomwebUrl(flags.input) || isDicomwebUrl(flags.output);
  if (!web && flags.studies.length === 0 && flags.qido === undefined) return undefined;
  if (web && flags.caFile) trustCaFile(flags.caFile);
  return { studies: flags.studies, qido: flags.qido, headers: Object.fromEntries(flags.headers.map(parseHeader)) };
}
