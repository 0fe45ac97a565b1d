// Every file the tool writes (DICOM outputs, report, audit, mapping CSVs, verify's report) reaches its final name one
// way: a new temporary file beside it (random name, exclusive create), written, fsynced, then renamed over the name.
// A crash leaves the previous file (or none) and at worst a temporary file that tempTarget recognises as stale.

import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { assertOpenedInside } from './output-folder.js';

/** Temporary names: `.<final name>.dcmanon-<24 hex>.partial`, in the final name's folder. */
const TEMP_MARK = '.dcmanon-';
const TEMP_SUFFIX = '.partial';
const TEMP_NAME = /^\.(.+)\.dcmanon-[0-9a-f]{24}\.partial$/;

/** Mode of side files (report, audit, mapping): they name original paths or identifiers, so only the owner reads them. */
export const PRIVATE_MODE = 0o600;
/** Mode of anonymized DICOM outputs. */
export const PUBLIC_MODE = 0o644;

/** Random bytes for temporary names, drawn from the CSPRNG 4 KiB at a time: one call per file cost as much as a write. */
const randomPool = Buffer.alloc(4096);
let randomAt = randomPool.length;

/** 12 fresh random bytes as 24 hex digits (each byte of the pool is used once). */
function randomHex12(): string {
  if (randomAt + 12 > randomPool.length) {
    randomFillSync(randomPool);
    randomAt = 0;
  }
  randomAt += 12;
  return randomPool.toString('hex', randomAt - 12, randomAt);
}

/** A fresh temporary path for `finalPath`: random, so no other process can plant a file or a link there first. */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}${TEMP_MARK}${randomHex12()}${TEMP_SUFFIX}`);
}

/** The final base name a temporary file of ours stood for, or null when `name` is not one of our temporary names. */
export function tempTarget(name: string): string | null {
  const m = TEMP_NAME.exec(name);
  return m ? m[1] : null;
}

/** Removes the temporary files a killed writer of `finalPath` left beside it (e.g. a report after kill -9); returns how many. */
export function removeStaleTempsOf(finalPath: string): number {
  let names: string[];
  try {
    names = readdirSync(dirname(finalPath));
  } catch {
    return 0; // no folder yet: nothing left behind
  }
  let removed = 0;
  for (const name of names) {
    if (tempTarget(name) !== basename(finalPath)) continue;
    try {
      unlinkSync(join(dirname(finalPath), name));
      removed++;
    } catch { /* gone meanwhile */ }
  }
  return removed;
}

export interface AtomicOptions {
  /** File mode of the new file (default PRIVATE_MODE). */
  mode?: number;
  /** Create the final name's folder (and its parents) first; callers that check their folders pass false. */
  makeFolder?: boolean;
  /** fsync the file before the rename (default true): a rename must never expose a file the disk does not hold. */
  fsync?: boolean;
  /** Refuse (EEXIST) when the final name exists, e.g. a new key file: the file is linked into place, not renamed. */
  noOverwrite?: boolean;
  /** Real path of the tree the file must land in: checked on the open file, before a byte is written. */
  within?: string;
}

/** A file being written under a temporary name; `commit` moves it into place, `abort` removes it. */
export class AtomicFile {
  readonly temp: string;
  private fd: number | null;
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(readonly path: string, private readonly options: AtomicOptions = {}) {
    if (options.makeFolder) mkdirSync(dirname(path), { recursive: true });
    this.temp = tempPathFor(path);
    // 'wx' (O_CREAT | O_EXCL) never opens an existing file and never follows a link planted at the name.
    this.fd = openSync(this.temp, 'wx', options.mode ?? PRIVATE_MODE);
    if (options.within !== undefined) {
      try {
        // A folder swapped for a link after its check would have put the new file outside the tree.
        assertOpenedInside(this.fd, this.temp, options.within);
      } catch (error) {
        closeSync(this.fd);
        this.fd = null;
        throw error;
      }
    }
  }

  /** The open descriptor, for writers that stream their own bytes (see dicom-output.ts). */
  get descriptor(): number {
    if (this.fd === null) throw new Error('atomic file already closed');
    return this.fd;
  }

  /** Appends text (UTF-8), buffered. */
  writeText(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= 1 << 16) this.flushText();
  }

  /** Appends bytes. */
  writeBytes(bytes: Uint8Array): void {
    this.flushText();
    writeFully(this.descriptor, bytes, bytes.length);
  }

  private flushText(): void {
    if (this.pending.length === 0) return;
    const bytes = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    writeFully(this.descriptor, bytes, bytes.length);
  }

  /** Finishes the file and moves it into place; on any failure the temporary file is removed and the error thrown. */
  commit(): void {
    if (this.fd === null) return;
    try {
      this.flushText();
      if (this.options.fsync !== false) fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = null;
      if (this.options.noOverwrite) {
        linkSync(this.temp, this.path); // fails when anything, even a dangling link, holds the name
        unlinkSync(this.temp);
      } else {
        renameSync(this.temp, this.path);
      }
    } catch (error) {
      this.abort();
      throw error;
    }
  }

  /** Drops the temporary file (on an error, or when the output is not wanted after all). */
  abort(): void {
    if (this.fd !== null) {
      try { closeSync(this.fd); } catch { /* closed already */ }
      this.fd = null;
    }
    try { unlinkSync(this.temp); } catch { /* gone */ }
  }
}

/** Writes `path` atomically with bytes that `fill` writes into the open file (e.g. a DICOM encoder's chunks). */
export function writeAtomically(path: string, fill: (file: AtomicFile) => void, options: AtomicOptions = {}): void {
  const file = new AtomicFile(path, options);
  try {
    fill(file);
  } catch (error) {
    file.abort();
    throw error;
  }
  file.commit();
}

/** Writes a whole text or byte content to `path` atomically. */
export function writeFileAtomically(path: string, content: string | Uint8Array, options: AtomicOptions = {}): void {
  writeAtomically(path, (file) => (typeof content === 'string' ? file.writeText(content) : file.writeBytes(content)), options);
}

export function writeFully(fd: number, bytes: Uint8Array, length: number): void {
  let done = 0;
  while (done < length) done += writeSync(fd, bytes, done, length - done);
}
