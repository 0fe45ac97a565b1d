// Where a flag points: a local path, `s3://BUCKET/PREFIX`, `az://ACCOUNT/CONTAINER/PREFIX`,
// `https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX[?SAS]` or a DICOMweb root `dicomweb+http(s)://HOST:PORT/PATH`.
// Parsed once, before anything is read or written.

import { UsageError } from '../files/usage-error.js';

export type Location =
  | { kind: 'local'; path: string }
  | { kind: 's3'; bucket: string; prefix: string; url: string }
  | { kind: 'azure'; account: string; container: string; prefix: string; sas: string | null; url: string }
  /** baseUrl: the http(s) root requests go to (no trailing slash); url: as the user wrote it, trimmed. */
  | { kind: 'dicomweb'; baseUrl: string; url: string };

const trimSlashes = (text: string): string => text.replace(/^\/+|\/+$/g, '');

/** dicomweb+http://… or dicomweb+https://… */
export const isDicomwebUrl = (text: string): boolean => /^dicomweb\+https?:\/\//i.test(text);

/** --study and --qido say which studies of a DICOMweb input to read: refused with any other input. */
export function refuseStudiesWithoutDicomweb(input: string, request: { studies?: readonly string[]; qido?: string } | undefined): void {
  const asked = request !== undefined && ((request.studies?.length ?? 0) > 0 || request.qido !== undefined);
  if (asked && !isDicomwebUrl(input)) throw new UsageError('--study and --qido need a DICOMweb input (-i dicomweb+http(s)://HOST:PORT/PATH)');
}

/** True when `text` names a store (object storage or a DICOMweb server) rather than a local path. */
export const isStorageUrl = (text: string): boolean =>
  /^(s3|az):\/\//i.test(text) || /^https:\/\/[^/]+\.blob\.core\.windows\.net\//i.test(text) || isDicomwebUrl(text);

export function parseLocation(text: string): Location {
  if (isDicomwebUrl(text)) return dicomweb(text);
  const s3 = /^s3:\/\/([^/?#]+)(\/[^?#]*)?$/i.exec(text);
  if (s3) {
    const prefix = trimSlashes(s3[2] ?? '');
    return { kind: 's3', bucket: s3[1], prefix, url: `s3://${s3[1]}${prefix ? `/${prefix}` : ''}` };
  }
  if (/^s3:/i.test(text)) throw new UsageError(`"${text}" is not an S3 location: s3://BUCKET/PREFIX`);
  const az = /^az:\/\/([a-z0-9]+)\/([^/?#]+)(\/[^?#]*)?$/i.exec(text);
  if (az) return azure(az[1], az[2], az[3], null);
  if (/^az:/i.test(text)) throw new UsageError(`"${text}" is not an Azure Blob location: az://ACCOUNT/CONTAINER/PREFIX`);
  const https = /^https:\/\/([a-z0-9]+)\.blob\.core\.windows\.net\/([^/?#]+)(\/[^?#]*)?(?:\?([^#]*))?$/i.exec(text);
  if (https) return azure(https[1], https[2], https[3], https[4] ?? null);
  if (/^https:\/\/[^/]+\.blob\.core\.windows\.net/i.test(text)) {
    throw new UsageError(`"${text}" is not an Azure Blob location: https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX`);
  }
  return { kind: 'local', path: text };
}

function azure(account: string, container: string, rest: string | undefined, sas: string | null): Location {
  const prefix = trimSlashes(decodeURIComponent(rest ?? ''));
  // The SAS never goes into url: url is printed in messages and reports.
  return { kind: 'azure', account, container, prefix, sas: sas || null, url: `az://${account}/${container}${prefix ? `/${prefix}` : ''}` };
}

function dicomweb(text: string): Location {
  let url: URL;
  try {
    url = new URL(text.replace(/^dicomweb\+/i, ''));
  } catch {
    throw new UsageError(`"${text}" is not a DICOMweb location: dicomweb+http(s)://HOST:PORT/PATH`);
  }
  if (url.search !== '' || url.hash !== '') throw new UsageError(`"${text}": a DICOMweb location has no query or fragment (use --qido for a query)`);
  // fetch refuses a URL with user info, and a password would be printed in every message: a header it is.
  if (url.username !== '' || url.password !== '') throw new UsageError(`a DICOMweb location has no user info: give credentials with --http-header "Authorization: …"`);
  const baseUrl = url.href.replace(/\/+$/, '');
  return { kind: 'dicomweb', baseUrl, url: `dicomweb+${baseUrl}` };
}
