// The storage port over a local (or shared) folder: the listing is files/discover.ts's walk, a write is
// files/atomic-output.ts's temporary file + fsync + rename. Metadata is not kept: a resumed local run proves an
// output complete by reading it (batch/resume.ts).

import { createReadStream, rmSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { AtomicFile, PRIVATE_MODE, PUBLIC_MODE } from '../files/atomic-output.js';
import { discoverInputs } from '../files/discover.js';
import { ObjectExistsError, type ObjectHead, type ObjectStore, type StoredObject, type WriteOptions } from './port.js';

const toSlashes = (relative: string): string => (sep === '/' ? relative : relative.split(sep).join('/'));

export class LocalFolderStore implements ObjectStore {
  constructor(readonly root: string) {}

  locationOf(name: string): string {
    return join(this.root, ...name.split('/'));
  }

  async *list(recursive: boolean): AsyncIterable<StoredObject> {
    const { files } = discoverInputs(this.root, { recursive, sniff: false, sizes: true });
    const objects = files.map((f) => ({ name: toSlashes(f.relativePath), size: f.size }));
    yield* objects.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async read(name: string, range?: { start: number; end: number }): Promise<Readable> {
    const path = this.locationOf(name);
    statSync(path); // a missing file fails here, not later in the stream
    return createReadStream(path, range ? { start: range.start, end: Math.max(range.start, range.end) - 1 } : {});
  }

  async write(name: string, body: Readable, options: WriteOptions = {}): Promise<void> {
    const file = new AtomicFile(this.locationOf(name), { makeFolder: true, noOverwrite: options.ifNoneMatch ?? false, mode: options.ownerOnly ? PRIVATE_MODE : PUBLIC_MODE });
    try {
      for await (const chunk of body) file.writeBytes(chunk as Buffer);
    } catch (error) {
      file.abort();
      throw error;
    }
    try {
      file.commit();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ObjectExistsError(this.locationOf(name));
      throw error;
    }
  }

  async head(name: string): Promise<ObjectHead | null> {
    try {
      const st = statSync(this.locationOf(name));
      return st.isFile() ? { size: st.size, metadata: {} } : null;
    } catch {
      return null;
    }
  }

  async delete(name: string): Promise<void> {
    rmSync(this.locationOf(name), { force: true });
  }

  async cleanAbandonedWrites(): Promise<number> {
    return 0; // the batch removes stale temporary files itself (batch/stale-temps.ts)
  }
}
