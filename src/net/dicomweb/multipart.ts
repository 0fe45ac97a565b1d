// multipart/related bodies (RFC 2387) as DICOMweb sends them (WADO-RS): the boundary from the Content-Type, then each
// part's bytes after its headers. Parts are views into the body, not copies.

/** The boundary parameter of a multipart Content-Type, or null. */
export function boundaryOf(contentType: string | null): string | null {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : null;
}

/** The parts of a multipart body (their headers dropped). */
export function multipartParts(body: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const parts: Buffer[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const afterDelimiter = at + delimiter.length;
    // "--" right after a delimiter closes the body.
    if (body[afterDelimiter] === 0x2d && body[afterDelimiter + 1] === 0x2d) break;
    const headersEnd = body.indexOf('\r\n\r\n', afterDelimiter, 'latin1');
    if (headersEnd < 0) break;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n', 'latin1'), delimiter]), headersEnd + 4);
    if (next < 0) break;
    parts.push(body.subarray(headersEnd + 4, next));
    at = next + 2;
  }
  return parts;
}
