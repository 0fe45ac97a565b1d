// Writing an encoded DICOM file to disk: the encoder's chunks (new bytes, and ranges of the input streamed from its
// file descriptor through one reused buffer) go into an atomic output (atomic-output.ts).

import { readSync } from 'node:fs';
import { DicomWriteError } from '../dicom/errors.js';
import type { DicomFile } from '../dicom/part10.js';
import { encodeDicomFile, type ChunkList } from '../dicom/writer.js';
import { PUBLIC_MODE, writeAtomically, writeFully, type AtomicOptions } from './atomic-output.js';

const COPY_PIECE = 4 * 1024 * 1024;
/** Reused across files: one staging buffer for small chunks and one for copying ranges from a source file. */
const staging = Buffer.allocUnsafe(1 << 20);
const copyBuffer = Buffer.allocUnsafe(COPY_PIECE);

/**
 * Writes a file atomically: into a temporary file beside `path`, fsynced (unless `fsync: false`), then renamed over
 * it. A crash or a failure leaves no partial file at `path`; the temporary file is removed on failure. With
 * `within` (a real path), a file that would open outside that tree is refused. Returns the number of bytes written.
 */
export function writeDicomFile(file: DicomFile, path: string, options: Pick<AtomicOptions, 'fsync' | 'within'> = {}): number {
  const chunks = encodeDicomFile(file);
  writeAtomically(path, (out) => writeChunks(out.descriptor, chunks), { mode: PUBLIC_MODE, fsync: options.fsync, within: options.within });
  return chunks.size;
}

function writeChunks(fd: number, list: ChunkList): void {
  let staged = 0;
  const flush = (): void => {
    writeFully(fd, staging, staged);
    staged = 0;
  };
  /** Small bytes go through the staging buffer; bytes larger than it are written directly. */
  const stage = (bytes: Uint8Array): void => {
    if (bytes.length > staging.length - staged) flush();
    if (bytes.length > staging.length) writeFully(fd, bytes, bytes.length);
    else {
      staging.set(bytes, staged);
      staged += bytes.length;
    }
  };
  for (const c of list.chunks) {
    if (c instanceof Uint8Array) {
      stage(c);
      continue;
    }
    if (c.source.fd === undefined || c.length <= staging.length - staged) {
      // In-memory source (or a small range): views are cheap, stage or write them directly.
      for (let at = 0; at < c.length; at += COPY_PIECE) stage(c.source.read(c.offset + at, Math.min(COPY_PIECE, c.length - at)));
      continue;
    }
    // A large range of a file on disk: copy through one reused buffer, never holding the value in memory.
    flush();
    for (let at = 0; at < c.length; at += COPY_PIECE) {
      const n = Math.min(COPY_PIECE, c.length - at);
      let got = 0;
      while (got < n) {
        const r = readSync(c.source.fd, copyBuffer, got, n - got, c.offset + at + got);
        if (r === 0) throw new DicomWriteError('input file ended while copying a value (was it changed during the run?)', '');
        got += r;
      }
      writeFully(fd, copyBuffer, n);
    }
  }
  flush();
}
