// The gateway's object-storage destination (`s3://BUCKET/PREFIX`, `az://ACCOUNT/CONTAINER/PREFIX`, an Azure Blob
// https URL): each instance becomes one object named like the folder destination's file, `<new SOP Instance UID>.dcm`
// under the prefix, written atomically through the storage port (src/storage) with the run fingerprint as metadata.

import { Readable } from 'node:stream';
import { FINGERPRINT_METADATA } from '../../batch/stored-run.js';
import { UsageError } from '../../files/usage-error.js';
import type { Location } from '../../storage/location.js';
import { openStore, type StoreOptions } from '../../storage/open.js';
import { ObjectExistsError, type ObjectHead, type ObjectStore } from '../../storage/port.js';

// The parts of destinations.ts's ForwardItem, ForwardResult and Destination this needs, spelled here so the two
// modules do not import each other (destinations.ts picks this destination for an object-storage URL).
type ForwardItem = { bytes: Buffer; sopInstanceUid: string; runFingerprint: string };
type ForwardResult = { kind: 'stored' } | { kind: 'retry' | 'refused'; reason: string };
interface Destination {
  label: string;
  key: string;
  batchSize: number;
  send(items: readonly ForwardItem[]): Promise<ForwardResult[]>;
}

/** Instances per send: each is its own PUT, a batch only bounds how long one send takes before the journal catches up. */
const OBJECTS_PER_SEND = 16;

const describe = (error: unknown): string => {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; statusCode?: number };
  const status = e.$metadata?.httpStatusCode ?? e.statusCode;
  return `${e.name ?? 'Error'}${status ? ` ${status}` : ''}: ${(e.message ?? String(error)).slice(0, 200)}`;
};

export function objectStoreDestination(location: Exclude<Location, { kind: 'local' }>, key: string, storage: StoreOptions = {}): Destination {
  // Opened on the first send (loads the cloud SDK only then); a failed open is tried again on the next send.
  let store: Promise<ObjectStore> | null = null;
  const open = (): Promise<ObjectStore> => (store ??= openStore(location, storage).catch((error: unknown) => {
    store = null;
    throw error;
  }));

  /** Already there, complete, from a run with this fingerprint (the same key and plan: the same bytes). */
  const holds = (head: ObjectHead | null, item: ForwardItem): boolean =>
    head !== null && head.size === item.bytes.length && head.metadata[FINGERPRINT_METADATA] === item.runFingerprint;

  async function put(s: ObjectStore, item: ForwardItem): Promise<ForwardResult> {
    const name = `${item.sopInstanceUid}.dcm`;
    const options = { size: item.bytes.length, metadata: { [FINGERPRINT_METADATA]: item.runFingerprint } };
    try {
      // A gateway killed after the upload but before its journal line: the object is there, not uploaded again.
      const head = await s.head(name);
      if (holds(head, item)) return { kind: 'stored' };
      try {
        // Create-only when nothing was there, so a concurrent writer of the same instance is not overwritten.
        await s.write(name, Readable.from([item.bytes]), { ...options, ifNoneMatch: head === null });
      } catch (error) {
        if (!(error instanceof ObjectExistsError)) throw error;
        if (holds(await s.head(name), item)) return { kind: 'stored' };
        // Another run's object under this name (another key or plan): replaced, as the folder destination replaces a file.
        await s.write(name, Readable.from([item.bytes]), options);
      }
      return { kind: 'stored' };
    } catch (error) {
      return { kind: 'retry', reason: `writing ${s.locationOf(name)}: ${describe(error)}` };
    }
  }

  return {
    label: location.url, key, batchSize: OBJECTS_PER_SEND,
    async send(items) {
      let s: ObjectStore;
      try {
        s = await open();
      } catch (error) {
        // Missing optional cloud packages (or a bad location) will not mend by retrying: failed at once, with the reason.
        const result: ForwardResult = error instanceof UsageError
          ? { kind: 'refused', reason: error.message }
          : { kind: 'retry', reason: `opening ${location.url}: ${describe(error)}` };
        return items.map(() => result);
      }
      const results: ForwardResult[] = [];
      for (const item of items) results.push(await put(s, item));
      return results;
    },
  };
}
