// STOW-RS (PS3.18 10.5): instances POSTed as multipart/related; type="application/dicom", their Part 10 bytes as they
// are, with Node's fetch. One request per call; the answer's HTTP status decides (200: all stored; 202/409 and
// other 4xx: refused; 5xx and network errors: worth a retry). Here, below the batch, because the DICOMweb store
// (store.ts) writes through it; the gateway's STOW-RS forward uses it too (src/net/dicomweb/stow.ts re-exports it).

import { randomBytes } from 'node:crypto';

export interface StowTarget {
  /** The DICOMweb root, e.g. http://host:8042/dicom-web (no trailing slash). */
  baseUrl: string;
  headers: Record<string, string>;
}

export type StowResult = { kind: 'stored' } | { kind: 'refused'; reason: string } | { kind: 'retry'; reason: string };

/** The multipart/related body of the instances, and its Content-Type. */
export function multipartDicom(instances: readonly Uint8Array[]): { body: Buffer; contentType: string } {
  const boundary = `dicom-anonymizer-${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const bytes of instances) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\nContent-Length: ${bytes.length}\r\n\r\n`, 'latin1'));
    parts.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    parts.push(Buffer.from('\r\n', 'latin1'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return { body: Buffer.concat(parts), contentType: `multipart/related; type="application/dicom"; boundary=${boundary}` };
}

/** POSTs the instances to {baseUrl}/studies. */
export async function stowInstances(target: StowTarget, instances: readonly Uint8Array[], timeoutMs = 120_000): Promise<StowResult> {
  const { body, contentType } = multipartDicom(instances);
  let response: Response;
  try {
    response = await fetch(`${target.baseUrl}/studies`, {
      method: 'POST',
      headers: { ...target.headers, 'Content-Type': contentType, Accept: 'application/dicom+json' },
      body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) as Uint8Array<ArrayBuffer>,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
  } catch (error) {
    return { kind: 'retry', reason: `STOW-RS to ${target.baseUrl}: ${networkReason(error)}` };
  }
  if (response.status === 200) return { kind: 'stored' };
  const reason = `STOW-RS to ${target.baseUrl} answered HTTP ${response.status}`;
  if (response.status >= 500 || response.status === 408 || response.status === 429) return { kind: 'retry', reason };
  return { kind: 'refused', reason };
}

/** A network error's kind, without anything a server sent back. */
export function networkReason(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: string }; code?: string };
  return e.cause?.code ?? e.code ?? e.name ?? 'network error';
}
