// Where the gateway forwards anonymized instances: `dicom://AE@HOST:PORT` (C-STORE; `dicom+tls://` over TLS), `dicomweb+http(s)://HOST:PORT/PATH`
// (STOW-RS), object storage (`s3://`, `az://`, Azure Blob https; object-store-destination.ts), or a local folder. Each destination takes a batch of instances and says, per instance, whether it is
// stored, worth another try, refused for good, or not accepted in any syntax this tool can make losslessly (the
// gateway quarantines those with the reason).

import { createHash } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readDicomBuffer } from '../../dicom/part10.js';
import { PUBLIC_MODE, writeFileAtomically } from '../../files/atomic-output.js';
import { explicitLittleEndianCopy } from '../../pixels/explicit-little-endian-copy.js';
import { UsageError } from '../../files/usage-error.js';
import { isStorageUrl, parseLocation } from '../../storage/location.js';
import type { StoreOptions } from '../../storage/open.js';
import { INSTANCES_PER_ASSOCIATION, storeInstances, type PeerAddress } from '../dimse/storage-scu.js';
import { stowInstances } from '../dicomweb/stow.js';
import { objectStoreDestination } from './object-store-destination.js';

/** One anonymized instance on its way out. */
export interface ForwardItem {
  /** Its Part 10 bytes (file meta + dataset). */
  bytes: Buffer;
  /** Where its dataset begins in `bytes` (after the file meta group). */
  datasetOffset: number;
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  /** The gateway's run fingerprint (key and plan, src/batch/fingerprint.ts): object metadata, as the batch writes it. */
  runFingerprint: string;
}

export type ForwardResult =
  | { kind: 'stored' }
  | { kind: 'retry'; reason: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'not-accepted'; reason: string };

export interface Destination {
  /** As given on the command line (no secrets: headers are not part of it). */
  label: string;
  /** Names its journal: a hash of the label. */
  key: string;
  batchSize: number;
  send(items: readonly ForwardItem[]): Promise<ForwardResult[]>;
}

export interface DestinationSettings {
  /** Our AE title, the calling AE of C-STOREs. */
  aeTitle: string;
  /** Extra HTTP headers for STOW-RS ("Name: value"). */
  headers: Record<string, string>;
  timeoutMs?: number;
  /** For object-storage destinations (--s3-endpoint; the environment). */
  storage?: StoreOptions;
  /**
   * For `dicom+tls://` destinations: our client certificate and key (PEM), for peers that require one. The server's
   * certificate is always verified, against Node's default CAs (the system's, and --ca-file's once trusted).
   */
  dimseTls?: Pick<ConnectionOptions, 'key' | 'cert'>;
}

const keyOf = (label: string): string => createHash('sha256').update(label).digest('hex').slice(0, 12);

/** Parses one --forward value. */
export function parseDestination(text: string, settings: DestinationSettings): Destination {
  const dicom = /^dicom(\+tls)?:\/\/([^@/]{1,16})@(\[[0-9a-fA-F:]+\]|[^:/]+):(\d{1,5})\/?$/.exec(text);
  if (dicom) {
    const peer: PeerAddress = { aeTitle: dicom[2], host: dicom[3].replace(/^\[|\]$/g, ''), port: Number(dicom[4]), callingAeTitle: settings.aeTitle };
    // rejectUnauthorized is Node's default; said here so that no option spread can turn verification off.
    if (dicom[1]) peer.tls = { ...settings.dimseTls, rejectUnauthorized: true };
    return dimseDestination(text, peer, settings.timeoutMs);
  }
  if (/^dicom(\+tls)?:/i.test(text)) throw new UsageError(`--forward ${text}: a DICOM destination is dicom://AE@HOST:PORT (or dicom+tls://AE@HOST:PORT)`);
  const web = /^dicomweb\+(https?):\/\/(.+)$/.exec(text);
  if (web) {
    const baseUrl = `${web[1]}://${web[2]}`.replace(/\/+$/, '');
    return stowDestination(text, baseUrl, settings.headers, settings.timeoutMs);
  }
  if (isStorageUrl(text) || /^(s3|az):/i.test(text)) {
    let location;
    try {
      location = parseLocation(text);
    } catch (error) {
      throw new UsageError(`--forward: ${(error as Error).message}`);
    }
    if (location.kind === 'local') throw new UsageError(`--forward ${text}: not an object-storage location`);
    // Keyed by the printable URL: a SAS token in an https URL changes neither the journal nor what is printed.
    return objectStoreDestination(location, keyOf(location.url), settings.storage);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new UsageError(`--forward ${text}: a destination is dicom://, dicom+tls://, dicomweb+http(s)://, s3://, az://, https://ACCOUNT.blob.core.windows.net/... or a folder`);
  }
  return folderDestination(resolve(text));
}

function dimseDestination(label: string, peer: PeerAddress, timeoutMs = 60_000): Destination {
  return {
    label, key: keyOf(label), batchSize: INSTANCES_PER_ASSOCIATION,
    async send(items) {
      const results = await storeInstances(peer, items.map((item) => ({
        sopClassUid: item.sopClassUid,
        sopInstanceUid: item.sopInstanceUid,
        transferSyntaxUid: item.transferSyntaxUid,
        dataset: item.bytes.subarray(item.datasetOffset),
        // Made only for a peer that refuses the instance's syntax: byte-swapped, re-encoded or decoded to native where
        // that is lossless, else the reason the gateway quarantines it with. Read afresh: the copy changes its file.
        explicitLittleEndian: () => explicitLittleEndianCopy(readDicomBuffer(item.bytes, 'anonymized instance')),
      })), timeoutMs);
      return results.map((r): ForwardResult => {
        if (r.kind === 'stored') return { kind: 'stored' };
        if (r.kind === 'not-accepted') return { kind: 'not-accepted', reason: r.reason };
        return { kind: 'retry', reason: r.reason };
      });
    },
  };
}

function stowDestination(label: string, baseUrl: string, headers: Record<string, string>, timeoutMs = 120_000): Destination {
  return {
    label, key: keyOf(label), batchSize: 1,
    async send(items) {
      // One instance per request: a refusal (Orthanc answers 400 to HTJ2K) names its instance.
      const results: ForwardResult[] = [];
      for (const item of items) {
        const r = await stowInstances({ baseUrl, headers }, [item.bytes], timeoutMs);
        results.push(r.kind === 'stored' ? r : r.kind === 'retry' ? r : { kind: 'not-accepted', reason: r.reason });
      }
      return results;
    },
  };
}

function folderDestination(folder: string): Destination {
  return {
    label: folder, key: keyOf(folder), batchSize: 64,
    async send(items) {
      mkdirSync(folder, { recursive: true });
      return items.map((item): ForwardResult => {
        try {
          // Named by the new SOP Instance UID: a second write of the same instance replaces it with the same bytes.
          writeFileAtomically(join(folder, `${item.sopInstanceUid}.dcm`), item.bytes, { mode: PUBLIC_MODE });
          return { kind: 'stored' };
        } catch (error) {
          return { kind: 'retry', reason: `writing into ${folder}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` };
        }
      });
    },
  };
}

/** Parses a --forward-header value "Name: value". */
export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon).trim() : '';
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) throw new UsageError('--forward-header takes "Name: value"');
  return [name, text.slice(colon + 1).trim()];
}
