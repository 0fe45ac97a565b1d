// Random-access byte sources the reader parses from: a whole file in memory, or a file read through a window
// so that a multi-gigabyte file is never held in memory (bulk values stay in the file as byte ranges).

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DicomParseError } from './errors.js';

export interface ByteSource {
  readonly size: number;
  /** `length` bytes at `offset` (clamped to the end). The view may be reused after the next call: copy to keep. */
  read(offset: number, length: number): Uint8Array;
  /** True when read() views stay valid forever (an in-memory buffer), so values need not be copied. */
  readonly stable: boolean;
  /** Where the bytes live on disk, when they do, so writers can stream ranges instead of holding them. */
  readonly fd?: number;
  close(): void;
}

export class BufferSource implements ByteSource {
  readonly stable = true;
  readonly size: number;
  /** The bytes as a plain Uint8Array: a view of it is made for every value read, and a Buffer view costs more. */
  private readonly bytes: Uint8Array;
  constructor(readonly buffer: Uint8Array) {
    this.size = buffer.length;
    this.bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  }
  read(offset: number, length: number): Uint8Array {
    const start = Math.min(Math.max(0, offset), this.size);
    return new Uint8Array(this.bytes.buffer, this.bytes.byteOffset + start, Math.max(0, Math.min(length, this.size - start)));
  }
  close(): void {}
}

/** The default window: 1 MiB. */
export const DEFAULT_WINDOW_BYTES = 1 << 20;

/** Reads a file through a window (1 MiB by default); reads larger than the window get a buffer of their own. */
export class FileSource implements ByteSource {
  readonly stable = false;
  readonly size: number;
  private window: Buffer;
  private windowStart = 0;
  private windowLength = 0;
  constructor(readonly fd: number, private ownsFd = false, size?: number, private readonly windowBytes = DEFAULT_WINDOW_BYTES) {
    this.size = size ?? fstatSync(fd).size;
    this.window = Buffer.allocUnsafe(windowBytes);
  }
  static open(path: string): FileSource {
    return new FileSource(openSync(path, 'r'), true);
  }
  read(offset: number, length: number): Uint8Array {
    const end = Math.min(offset + length, this.size);
    const wanted = Math.max(0, end - offset);
    if (offset >= this.windowStart && end <= this.windowStart + this.windowLength) {
      return this.window.subarray(offset - this.windowStart, end - this.windowStart);
    }
    if (wanted > this.windowBytes) {
      const out = Buffer.allocUnsafe(wanted);
      readFully(this.fd, out, offset);
      return out;
    }
    this.windowStart = offset;
    this.windowLength = Math.min(this.windowBytes, this.size - offset);
    readFully(this.fd, this.window.subarray(0, this.windowLength), offset);
    return this.window.subarray(0, wanted);
  }
  close(): void {
    if (this.ownsFd) closeSync(this.fd);
  }
}

export function readFully(fd: number, into: Uint8Array, position: number): void {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new DicomParseError('the file ended before its declared end (was it changed while being read?)', position + done, '');
    done += n;
  }
}
