// Where redacted frames are staged until the file is written: memory for small Pixel Data, else a temporary file
// (unlinked at once, so nothing is left behind even after a crash) that the writer streams from.

import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ExternalRange } from '../dicom/dataset.js';
import { BufferSource, readFully, type ByteSource } from '../dicom/source.js';

export interface FrameSink {
  /** Keeps `bytes` (the caller must not change them afterwards) and returns where they are now. */
  append(bytes: Uint8Array): ExternalRange;
  /** Frees the staged bytes (closes the temporary file); ranges returned before become invalid. */
  close(): void;
}

/** Default size up to which staged Pixel Data stays in memory. */
export const DEFAULT_SCRATCH_IN_MEMORY_BYTES = 64 * 1024 * 1024;

/** Memory for up to `inMemoryMaxBytes` of expected output, else a temporary file in `directory`. */
export function createFrameSink(expectedBytes: number, options: { directory?: string; inMemoryMaxBytes?: number } = {}): FrameSink {
  if (expectedBytes <= (options.inMemoryMaxBytes ?? DEFAULT_SCRATCH_IN_MEMORY_BYTES)) return memorySink();
  return new ScratchFile(options.directory ?? tmpdir());
}

function memorySink(): FrameSink {
  return {
    append: (bytes) => ({ source: new BufferSource(bytes), offset: 0, length: bytes.length }),
    close: () => {},
  };
}

/** An append-only temporary file that is also a ByteSource (with its fd, so the writer copies ranges directly). */
class ScratchFile implements FrameSink, ByteSource {
  readonly stable = false;
  readonly fd: number;
  size = 0;
  private closed = false;

  constructor(directory: string) {
    const path = join(directory, `.dicom-pixels-${process.pid}-${randomBytes(6).toString('hex')}.scratch`);
    this.fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
  }

  append(bytes: Uint8Array): ExternalRange {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, this.size + done);
    const range = { source: this as ByteSource, offset: this.size, length: bytes.length };
    this.size += bytes.length;
    return range;
  }

  read(offset: number, length: number): Uint8Array {
    const out = Buffer.allocUnsafe(Math.max(0, Math.min(length, this.size - offset)));
    readFully(this.fd, out, offset);
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
