// Pairing outputs with their originals: by the same relative path (the anonymize command mirrors the input tree),
// or through the SOP Instance UID mapping (sop_uid.csv with columns id_old,id_new) when the layouts differ. With the
// mapping, originals that share a SOP Instance UID are told apart by relative path (else the first in walk order,
// as the study layout keeps), and outputs without one by relative path or the input-path hash in their name. A
// mirrored path whose identifying components were renamed is mapped back through path_component.csv.

import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { discoverInputs } from '../files/discover.js';
import { inputPathHash, RENAMED_PREFIX, unknownInstanceHash } from '../files/output-names.js';
import { UsageError } from '../files/usage-error.js';
import { readDicomFile } from '../dicom/part10.js';
import { getString } from '../dicom/values.js';
import { MAPPING_FILES, readMappingCsv } from '../records/index.js';

import { SOPInstanceUID } from '../dicom/tags.generated.js';

export interface Pair {
  output: string;
  /** null when no original could be found. */
  input: string | null;
  /** Why there is no original. */
  reason?: string;
}

export function listFiles(root: string): Array<{ path: string; relativePath: string }> {
  if (!existsSync(root)) throw new UsageError(`not found: ${root}`);
  if (!statSync(root).isDirectory()) return [{ path: root, relativePath: basename(root) }];
  return discoverInputs(root, { recursive: true }).files.map((f) => ({ path: f.path, relativePath: f.relativePath }));
}

/** new → old from a mapping CSV (src/records/mapping.ts: the id_old,id_new header, then two fields a row). */
function readNewToOld(file: string, pathComponents = false): Map<string, string> {
  return new Map(readMappingCsv(file, { pathComponents }).map((row) => [row.new.trim(), row.old.trim()]));
}

/** new SOP Instance UID → old, from DIR/sop_uid.csv. */
export function readSopMapping(dir: string): Map<string, string> {
  const file = join(dir, MAPPING_FILES.sop);
  if (!existsSync(file)) throw new UsageError(`mapping file not found: ${file}`);
  return readNewToOld(file);
}

/**
 * new → old folder and file names, from DIR/path_component.csv (the mirror layout renames the components that held
 * an identifying value: src/batch/mirror-names.ts); empty when the file is absent (an older run, the study layout).
 */
export function readPathComponentMapping(dir: string): Map<string, string> {
  const file = join(dir, MAPPING_FILES.pathComponents);
  return existsSync(file) ? readNewToOld(file, true) : new Map();
}

function sopUidOf(path: string): string | null {
  let file;
  try {
    file = readDicomFile(path);
  } catch {
    return null;
  }
  try {
    const el = file.dataset.get(SOPInstanceUID);
    return el ? getString(file.dataset, el, file.datasetSource) : null;
  } finally {
    file.close();
  }
}

export function pairOutputs(input: string, output: string, mappingDir?: string): Pair[] {
  if (!existsSync(input)) throw new UsageError(`input not found: ${input}`);
  const outputs = listFiles(output);
  const inputIsDir = statSync(input).isDirectory();
  const renamedBack = mappingDir ? readPathComponentMapping(mappingDir) : new Map<string, string>();
  const isFile = (path: string): boolean => existsSync(path) && statSync(path).isFile();
  /**
   * The original at an output's relative path (the input itself when it is one file), if it is there; else at that
   * path with its renamed components mapped back (path_component.csv).
   */
  const atSamePath = (relativePath: string): string | null => {
    if (!inputIsDir) return isFile(input) ? input : null;
    const candidate = join(input, relativePath);
    if (isFile(candidate)) return candidate;
    if (renamedBack.size === 0) return null;
    const back = join(input, ...relativePath.split(/[\\/]/).filter((c) => c !== '').map((c) => renamedBack.get(c) ?? c));
    return isFile(back) ? back : null;
  };
  if (!mappingDir) {
    return outputs.map((o) => {
      const original = atSamePath(o.relativePath);
      const reason = o.relativePath.includes(RENAMED_PREFIX)
        ? 'no original at the same relative path (a renamed path component: pass --mapping DIR of the run to pair it)'
        : 'no original at the same relative path';
      return original ? { output: o.path, input: original } : { output: o.path, input: null, reason };
    });
  }
  const newToOld = readSopMapping(mappingDir);
  // Every original per SOP Instance UID, in walk order: copies of one instance share it.
  const byOldUid = new Map<string, string[]>();
  // Study-layout outputs of instances without a SOP Instance UID are named after a hash of the input's path.
  const byPathHash = new Map<string, string>();
  for (const f of listFiles(input)) {
    const uid = sopUidOf(f.path);
    if (uid) byOldUid.set(uid, [...(byOldUid.get(uid) ?? []), f.path]);
    byPathHash.set(inputPathHash(f.relativePath), f.path);
  }
  return outputs.map((o) => {
    const uid = sopUidOf(o.path);
    if (!uid) {
      // Nothing to look up (the original had no SOP Instance UID either, or the output cannot be read):
      // the mirror layout still pairs it by relative path.
      const hash = unknownInstanceHash(basename(o.path));
      const original = atSamePath(o.relativePath) ?? (hash !== null ? byPathHash.get(hash) ?? null : null);
      return original ? { output: o.path, input: original } : { output: o.path, input: null, reason: 'output has no readable SOP Instance UID and no original at the same relative path' };
    }
    const old = newToOld.get(uid);
    if (!old) return { output: o.path, input: null, reason: 'SOP Instance UID not in the mapping' };
    const candidates = byOldUid.get(old);
    if (!candidates) return { output: o.path, input: null, reason: 'no original with the mapped SOP Instance UID' };
    // Several originals with this UID: the one at the output's relative path (mirror layout), else the first in
    // walk order, which is the one the study layout keeps when inputs share a SOP Instance UID.
    const same = atSamePath(o.relativePath);
    return { output: o.path, input: same !== null && candidates.includes(same) ? same : candidates[0] };
  });
}
