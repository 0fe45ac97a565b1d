// The storage port: what the batch needs of a place that holds inputs and takes outputs, whatever it is (a local
// folder, an S3 bucket, an Azure Blob container, a DICOMweb server). Names are relative to the store's root and '/'-joined on every
// platform and store, so the shard rule and the output names are the same over every adapter.

import type { Readable } from 'node:stream';

/** One object (file) under the root. */
export interface StoredObject {
  /** Relative to the root, '/'-joined. */
  name: string;
  /** The byte count, or null when the listing does not say (DICOMweb: QIDO-RS gives no size). */
  size: number | null;
}

/** What a HEAD (stat) says of one object. */
export interface ObjectHead {
  size: number;
  /** User metadata (lower-case keys); empty for local files. */
  metadata: Record<string, string>;
}

export interface WriteOptions {
  /** User metadata to store with the object (e.g. the run fingerprint, fingerprint.ts). Keys: lower-case letters. */
  metadata?: Record<string, string>;
  /**
   * Create only: fail with ObjectExistsError when the name already holds an object (If-None-Match: *), where the
   * store can check it atomically. Used when a resumed run found nothing there, so a concurrent writer is not
   * overwritten.
   */
  ifNoneMatch?: boolean;
  /** The byte count, when known (lets a store pick one PUT over a multipart upload). */
  size?: number;
  /** Readable by the owner only where the store has file modes (a local folder: 0600), e.g. a mapping CSV. */
  ownerOnly?: boolean;
}

/** A write refused because the name already holds an object (WriteOptions.ifNoneMatch). */
export class ObjectExistsError extends Error {
  constructor(readonly location: string) {
    super(`${location}: already exists`);
    this.name = 'ObjectExistsError';
  }
}

/** A store with inputs or outputs under one root. */
export interface ObjectStore {
  /** The root as the user wrote it (for messages and reports). */
  readonly root: string;
  /** The printable location of one object (`s3://bucket/prefix/name`, a local path...). */
  locationOf(name: string): string;
  /** Every object under the root (with `recursive` false: only those directly under it), in name order. */
  list(recursive: boolean): AsyncIterable<StoredObject>;
  /** The bytes of one object, or of [start, end) of it, as a stream (ranged reads: never the whole object in memory). */
  read(name: string, range?: { start: number; end: number }): Promise<Readable>;
  /**
   * Writes one object from a stream, atomically: the name holds the old object (or none) until the new one is
   * complete (one PUT, a completed multipart upload or block list, or a renamed temporary file). Never a partial
   * object at the name, never a temporary object at a final name.
   */
  write(name: string, body: Readable, options?: WriteOptions): Promise<void>;
  /** Size and metadata of one object, or null when there is none. */
  head(name: string): Promise<ObjectHead | null>;
  /** Removes one object (no error when there is none). */
  delete(name: string): Promise<void>;
  /**
   * Drops what killed writers left unseen under the root (S3 multipart uploads never completed) for the given names;
   * returns how many. A store without such leftovers returns 0.
   */
  cleanAbandonedWrites(names: ReadonlySet<string>): Promise<number>;
}

/** Joins a root prefix and a relative name with one '/'; the name '' is the root itself (a report at s3://b/run.json). */
export function joinKey(prefix: string, name: string): string {
  return prefix === '' ? name : name === '' ? prefix : `${prefix}/${name}`;
}
