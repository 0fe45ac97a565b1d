// The output-name decision at scale, in two array stages. `dicom-anonymizer scan --shard K/N --names DEST`: each task
// reads only its own inputs' headers (a ranged read of the first HEADER_WINDOW_BYTES of each object) and writes
// DEST/names-K-of-N.json, the keyed digests of the folders those headers make identifying (records/name-digests.ts).
// `anonymize --names DEST`: every task of the second stage reads the N small files, checks they are all there and
// made under its key, and decides its own inputs' names from its own headers plus their union, with the same result
// as a run that read every header (mirror-names.ts), at a cost per task of its own headers plus a small shared file.

import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadOptions } from '../dicom/part10.js';
import { UsageError } from '../files/usage-error.js';
import { formatNameDigests, nameDigestsFile, parseNameDigestsText } from '../records/index.js';
import { forEachBounded } from '../storage/bounded.js';
import { parseLocation, refuseStudiesWithoutDicomweb } from '../storage/location.js';
import { openStore, type StoreOptions } from '../storage/open.js';
import { headerPathValues, identifyingFolderDigests, type NamedInput } from './mirror-names.js';
import type { KeySecret } from './protocol.js';
import { keysFromSecret } from './secret.js';
import { inShard, type Shard } from './shard.js';

/** The header window read of each input: what the output-name pre-pass reads of a file (mirror-names.ts). */
export const HEADER_WINDOW_BYTES = 128 * 1024;

/** Keyed digest of the key alone: the shards' digests are comparable only under one key. */
export const keyFingerprint = (secret: KeySecret): string => keysFromSecret(secret).mac('key-fingerprint', '').subarray(0, 16).toString('hex');

export interface ScanOptions {
  input: string;
  recursive: boolean;
  shard: Shard;
  secret: KeySecret;
  /** Where names-K-of-N.json goes: a folder or prefix, local or in object storage. */
  names: string;
  storage?: StoreOptions;
  readOptions?: ReadOptions;
  /** Objects read at once (default 16). */
  requests?: number;
}

export interface ScanResult {
  inputs: number;
  headerBytes: number;
  identifyingFolders: number;
  written: string;
}

/** One task of the scan stage. */
export async function scanNames(options: ScanOptions): Promise<ScanResult> {
  refuseStudiesWithoutDicomweb(options.input, options.storage?.dicomweb);
  const store = await openStore(parseLocation(options.input), options.storage);
  const mine: string[] = [];
  for await (const o of store.list(options.recursive)) if (inShard(o.name, options.shard)) mine.push(o.name);
  const scratch = mkdtempSync(join(tmpdir(), 'dicomanon-scan-'));
  const named: NamedInput[] = [];
  let headerBytes = 0;
  try {
    await forEachBounded(mine.map((name, i) => ({ name, i })), Math.max(1, options.requests ?? 16), async ({ name, i }) => {
      const path = join(scratch, String(i));
      try {
        await pipeline(await store.read(name, { start: 0, end: HEADER_WINDOW_BYTES }), createWriteStream(path));
        headerBytes += statSync(path).size;
        named.push({ relativePath: name, values: headerPathValues(path, options.readOptions) });
      } catch {
        named.push({ relativePath: name, values: null }); // unreadable: the anonymize stage reports it; patterns decide its names
      } finally {
        rmSync(path, { force: true });
      }
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const folders = [...identifyingFolderDigests(keysFromSecret(options.secret), named)].sort();
  const file = nameDigestsFile(options.shard.index, options.shard.count);
  const text = formatNameDigests({
    keyFingerprint: keyFingerprint(options.secret), shard: `${options.shard.index}/${options.shard.count}`,
    inputs: mine.length, headerBytes, identifyingFolders: folders,
  });
  const out = await openStore(parseLocation(options.names), options.storage);
  if (parseLocation(options.names).kind === 'local') mkdirSync(dirname(join(options.names, file)), { recursive: true });
  await out.write(file, Readable.from([Buffer.from(text)]), { size: Buffer.byteLength(text) });
  return { inputs: mine.length, headerBytes, identifyingFolders: folders.length, written: out.locationOf(file) };
}

/** The union of the N scan results for a run sharded N ways; refused unless all N are there, made under this key. */
export async function readSharedNames(names: string, count: number, secret: KeySecret, storage?: StoreOptions): Promise<Set<string>> {
  const store = await openStore(parseLocation(names), storage);
  const fingerprint = keyFingerprint(secret);
  const union = new Set<string>();
  for (let k = 0; k < count; k++) {
    const file = nameDigestsFile(k, count);
    let text: string;
    try {
      const chunks: Buffer[] = [];
      for await (const c of await store.read(file)) chunks.push(c as Buffer);
      text = Buffer.concat(chunks).toString('utf8');
    } catch {
      throw new UsageError(`--names: ${store.locationOf(file)} is missing: run "dicom-anonymizer scan" for every shard 0..${count - 1} of ${count} first`);
    }
    const digests = parseNameDigestsText(text, store.locationOf(file));
    if (digests.shard !== `${k}/${count}`) throw new UsageError(`--names: ${store.locationOf(file)} is the scan of shard ${digests.shard}, not ${k}/${count}`);
    if (digests.keyFingerprint !== fingerprint) throw new UsageError(`--names: ${store.locationOf(file)} was made with another key: scan again with this key`);
    for (const d of digests.identifyingFolders) union.add(d);
  }
  return union;
}
