// DICOMweb at the edges of the batch, the smallest way in: a DICOMweb input (-i dicomweb+http(s)://…, with --study or
// --qido) is retrieved by WADO-RS into a private scratch folder that the batch reads as any input folder; a DICOMweb
// output (-o dicomweb+http(s)://…) is a scratch folder the batch writes, STOWed when the batch is done. The scratch
// folder (mode 700) is removed whatever happens. (When src/storage's port lands, this becomes an adapter behind it.)

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../../files/atomic-output.js';
import { listFilesBelow } from './files.js';
import { queryStudies, retrieveStudy, type DicomwebServer } from './retrieve.js';
import { stowInstances } from './stow.js';

/** dicomweb+http://… or dicomweb+https://… */
export const isDicomwebUrl = (text: string): boolean => /^dicomweb\+https?:\/\//i.test(text);

export function dicomwebServer(url: string, headers: Record<string, string>): DicomwebServer {
  return { baseUrl: url.replace(/^dicomweb\+/i, '').replace(/\/+$/, ''), headers };
}

export interface RetrieveRequest {
  studies: readonly string[];
  /** A QIDO-RS query string; its studies are added to `studies`. */
  qido?: string;
}

/**
 * Retrieves the studies into `folder` as study-NNNN/instance-NNNNNN.dcm (names that hold nothing of the instance);
 * returns how many studies and instances.
 */
export async function retrieveToFolder(server: DicomwebServer, request: RetrieveRequest, folder: string): Promise<{ studies: number; instances: number }> {
  const studies = [...request.studies];
  if (request.qido !== undefined) for (const uid of await queryStudies(server, request.qido)) if (!studies.includes(uid)) studies.push(uid);
  let instances = 0;
  for (const [s, uid] of studies.entries()) {
    const dir = join(folder, `study-${String(s + 1).padStart(4, '0')}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const parts = await retrieveStudy(server, uid);
    parts.forEach((bytes, i) => writeFileAtomically(join(dir, `instance-${String(i + 1).padStart(6, '0')}.dcm`), bytes, { fsync: false }));
    instances += parts.length;
  }
  return { studies: studies.length, instances };
}

/** Most bytes in one STOW-RS request (several instances per request when they are small). */
const STOW_BATCH_BYTES = 32 * 1024 * 1024;

/** STOWs every file below `folder`; what was stored and what was refused (relative names and reasons). */
export async function stowFolder(server: DicomwebServer, folder: string): Promise<{ stored: number; refused: { file: string; reason: string }[] }> {
  const files = listFilesBelow(folder);
  let stored = 0;
  const refused: { file: string; reason: string }[] = [];
  let batch: { file: string; bytes: Buffer }[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    let result = await stowInstances(server, batch.map((b) => b.bytes));
    // A refusal of a batch is told apart instance by instance; a retryable failure gets two more tries.
    for (let attempt = 1; result.kind === 'retry' && attempt < 3; attempt++) {
      await new Promise((r) => setTimeout(r, 1000 * attempt));
      result = await stowInstances(server, batch.map((b) => b.bytes));
    }
    if (result.kind === 'stored') stored += batch.length;
    else if (batch.length > 1) {
      const single = batch;
      batch = [];
      for (const one of single) {
        const r = await stowInstances(server, [one.bytes]);
        if (r.kind === 'stored') stored++;
        else refused.push({ file: one.file, reason: r.reason });
      }
    } else refused.push({ file: batch[0].file, reason: result.reason });
    batch = [];
    size = 0;
  };
  for (const file of files) {
    const bytes = readFileSync(join(folder, file));
    if (size + bytes.length > STOW_BATCH_BYTES) await flush();
    batch.push({ file, bytes });
    size += bytes.length;
  }
  await flush();
  return { stored, refused };
}
