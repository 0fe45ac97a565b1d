// `dicom-anonymizer scan`'s per-shard result (--names DEST/names-K-of-N.json): which folders of the run hold an
// identifying value of an input below them, as keyed digests (never the names themselves), so that the shards of
// the anonymize stage decide the same output names while each reads only its own inputs' headers
// (batch/mirror-names.ts, batch/name-digests.ts).

import { z } from 'zod';
import { parseJsonRecord } from './json-record.js';
import { escapeControls } from './text-files.js';
import { FORMAT_VERSIONS } from './version.js';

export const NameDigestsSchema = z.object({
  formatVersion: z.literal(FORMAT_VERSIONS.nameDigests),
  /** Keyed digest of the key alone (names depend on the key, not on the Plan): every shard's must agree. */
  keyFingerprint: z.string(),
  /** "K/N": the shard of the scan this file is from. */
  shard: z.string().regex(/^\d+\/\d+$/),
  /** Inputs of the shard whose headers were read, and how many header bytes that took. */
  inputs: z.int().nonnegative(),
  headerBytes: z.int().nonnegative(),
  /** Keyed digests (hex) of the folder paths (relative, '/'-joined) that hold an identifying value of an input below them. */
  identifyingFolders: z.array(z.string().regex(/^[0-9a-f]+$/)),
});
export type NameDigests = z.infer<typeof NameDigestsSchema>;

/** The file name of shard K of N's digests. */
export const nameDigestsFile = (index: number, count: number): string => `names-${index}-of-${count}.json`;

export const formatNameDigests = (digests: Omit<NameDigests, 'formatVersion'>): string =>
  `${escapeControls(JSON.stringify({ formatVersion: FORMAT_VERSIONS.nameDigests, ...digests }))}\n`;

export const parseNameDigestsText = (text: string, where: string): NameDigests => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return parseJsonRecord('nameDigests', NameDigestsSchema, json, where);
};
