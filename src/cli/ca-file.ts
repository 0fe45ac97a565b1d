// --ca-file: a PEM CA added to the certificates Node's fetch trusts (for https DICOMweb), beside the system's.

import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import { UsageError } from '../api/batch.js';

/** tls.setDefaultCACertificates exists from Node 22.19 / 24.5. */
export function trustCaFile(path: string): void {
  const api = tls as Partial<{ setDefaultCACertificates(certs: string[]): void; getCACertificates(kind: string): string[] }>;
  if (!api.setDefaultCACertificates || !api.getCACertificates) throw new UsageError('--ca-file needs Node 22.19 or 24.5 or later');
  let pem: string;
  try {
    pem = readFileSync(path, 'latin1');
  } catch (error) {
    throw new UsageError(`--ca-file ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  api.setDefaultCACertificates([...api.getCACertificates('default'), pem]);
}
