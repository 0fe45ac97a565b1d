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

/** What is wrong with a WADO-RS answer, in words that hold nothing the server sent. */
export class MultipartError extends Error {
  override name = 'MultipartError';

  /** `truncated`: the answer stopped inside the part (a connection cut short: worth asking again). */
  constructor(message: string, readonly truncated = false) {
    super(message);
  }
}

/** Most header bytes before a part's body: a part's headers are a few lines. */
const MAX_PART_HEADER_BYTES = 64 * 1024;
/** A Part 10 file's "DICM" is at this offset (after the 128-byte preamble). */
const MAGIC_END = 132;

/**
 * The body of the first part of a multipart stream, streamed: never more than a chunk and a delimiter held. Fails
 * (MultipartError) when the stream has no part, the part's Content-Type is not application/dicom, its bytes are not a
 * Part 10 file (no "DICM" at 128), or the stream ends before the part's closing delimiter (a truncated answer).
 * Whatever follows the first part is not read.
 */
export async function* firstPartBody(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, boundary: string): AsyncGenerator<Buffer> {
  const opening = Buffer.from(`--${boundary}`, 'latin1');
  const closing = Buffer.from(`\r\n--${boundary}`, 'latin1');
  let carry: Buffer = Buffer.alloc(0);
  let inBody = false;
  let head: Buffer | null = Buffer.alloc(0); // the body's first bytes until "DICM" is checked, then null
  const emit = function* (bytes: Buffer): Generator<Buffer> {
    if (bytes.length === 0) return;
    if (head === null) {
      yield bytes;
      return;
    }
    head = Buffer.concat([head, bytes]);
    if (head.length < MAGIC_END) return;
    if (head.toString('latin1', 128, MAGIC_END) !== 'DICM') throw new MultipartError('the part is not a DICOM Part 10 file (no "DICM" at byte 128)');
    const all = head;
    head = null;
    yield all;
  };
  for await (const chunk of source) {
    carry = carry.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([carry, chunk]);
    if (!inBody) {
      const at = carry.indexOf(opening);
      // "--" right after the first delimiter closes the body: no part at all.
      if (at >= 0 && carry[at + opening.length] === 0x2d && carry[at + opening.length + 1] === 0x2d) throw new MultipartError('the multipart answer has no part');
      const headersEnd = at < 0 ? -1 : carry.indexOf('\r\n\r\n', at + opening.length, 'latin1');
      if (headersEnd < 0) {
        if (carry.length > MAX_PART_HEADER_BYTES) throw new MultipartError('no multipart part within the first 64 KiB');
        continue;
      }
      const contentType = /^content-type:\s*([^;\r\n]+)/im.exec(carry.toString('latin1', at + opening.length, headersEnd))?.[1].trim().toLowerCase();
      if (contentType !== undefined && contentType !== 'application/dicom') throw new MultipartError('the part is not application/dicom');
      carry = carry.subarray(headersEnd + 4);
      inBody = true;
    }
    const end = carry.indexOf(closing);
    if (end >= 0) {
      yield* emit(carry.subarray(0, end));
      if (head !== null) throw new MultipartError('the part is not a DICOM Part 10 file (shorter than 132 bytes)');
      return;
    }
    // Everything but a tail that could be the start of the closing delimiter is the part's.
    const keep = Math.min(carry.length, closing.length - 1);
    yield* emit(carry.subarray(0, carry.length - keep));
    carry = Buffer.from(carry.subarray(carry.length - keep));
  }
  throw new MultipartError(inBody ? 'the answer ended inside the part (truncated)' : 'the answer ended before any multipart part', true);
}
