// Text outputs of a batch (report, audit, mapping CSVs) written atomically: into a temporary file beside the
// target, renamed over it when complete. A killed run leaves the previous file (or none), never half of one.

import { closeSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

export class AtomicTextFile {
  private readonly temp: string;
  private fd: number | null;
  private buffered: string[] = [];
  private bufferedLength = 0;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    this.fd = openSync(this.temp, 'wx', 0o600);
  }

  write(text: string): void {
    this.buffered.push(text);
    this.bufferedLength += text.length;
    if (this.bufferedLength >= 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.fd === null || this.buffered.length === 0) return;
    const bytes = Buffer.from(this.buffered.join(''), 'utf8');
    this.buffered = [];
    this.bufferedLength = 0;
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
  }

  /** Finishes the file and moves it into place. */
  commit(): void {
    if (this.fd === null) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
    renameSync(this.temp, this.path);
  }

  /** Drops the temporary file (on an error). */
  abort(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    try { unlinkSync(this.temp); } catch { /* gone */ }
  }
}

export function writeTextAtomically(path: string, text: string): void {
  const file = new AtomicTextFile(path);
  try {
    file.write(text);
    file.commit();
  } catch (error) {
    file.abort();
    throw error;
  }
}
