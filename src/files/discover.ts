// Finding input files: one file, or a folder (recursively with -r), any file name. DICOM is recognised by its
// content (src/dicom/sniff.ts), not by extension. Symlinks never lead out of the tree.

import { closeSync, fstatSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { SNIFF_BYTES, sniffDicom, type DicomKind } from '../dicom/sniff.js';

export interface InputFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the input root ('' root for a single file: its base name). */
  relativePath: string;
  /** Size in bytes when discovered. */
  size: number;
}

export interface SkippedInput {
  path: string;
  relativePath: string;
  reason: string;
}

/** One discovered path, in walk order (sorted by name within each folder, depth first). */
export type DiscoveredEntry = { kind: 'file'; file: InputFile } | { kind: 'skipped'; skipped: SkippedInput };

export interface Discovery {
  files: InputFile[];
  skipped: SkippedInput[];
  /** Files and skipped paths together, in walk order: the order of the report. */
  entries: DiscoveredEntry[];
}

/** Reads the first bytes of a file and says whether they look like DICOM (src/dicom/sniff.ts decides). */
function sniff(path: string): { kind: DicomKind; size: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, head, 0, head.length, 0);
    return { kind: sniffDicom(head.subarray(0, n), size), size };
  } finally {
    closeSync(fd);
  }
}

/**
 * Lists the inputs under `root`. With `recursive` false only the folder's own files are taken. Links are followed
 * only when their target stays inside `root` (unless `followSymlinks`).
 */
export interface DiscoverOptions {
  recursive: boolean;
  followSymlinks?: boolean;
  /**
   * Look inside each file here (default). A batch passes false: the workers, which read every file anyway, tell
   * DICOM from the rest in parallel (skipReason, after a failed read), and the main thread only lists.
   */
  sniff?: boolean;
  /** With sniff false: stat each file for its size (for the progress bar). */
  sizes?: boolean;
}

export function discoverInputs(root: string, options: DiscoverOptions): Discovery {
  const classify = options.sniff === false ? listOnly(options.sizes ?? false) : sniffAndClassify;
  const entries: DiscoveredEntry[] = [];
  const skip = (s: SkippedInput): void => void entries.push({ kind: 'skipped', skipped: s });
  const rootStat = statSync(root);
  if (!rootStat.isDirectory()) {
    classify(root, basename(root), entries);
    return collect(entries);
  }
  const realRoot = realpathSync(root);
  const walk = (dir: string): void => {
    const dirents = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of dirents) {
      const path = join(dir, entry.name);
      const rel = relative(root, path);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(path);
        } catch {
          skip({ path, relativePath: rel, reason: 'broken symbolic link' });
          continue;
        }
        if (!options.followSymlinks && target !== realRoot && !target.startsWith(realRoot + sep)) {
          skip({ path, relativePath: rel, reason: 'symbolic link leads out of the input folder (not followed)' });
          continue;
        }
        const st = statSync(path);
        isDir = st.isDirectory();
        isFile = st.isFile();
        if (isDir) {
          skip({ path, relativePath: rel, reason: 'symbolic link to a folder (not followed, to avoid cycles)' });
          continue;
        }
      }
      if (isDir) {
        if (options.recursive) walk(path);
        continue;
      }
      if (isFile) classify(path, rel, entries);
      else skip({ path, relativePath: rel, reason: 'not a regular file' });
    }
  };
  walk(root);
  return collect(entries);
}

function collect(entries: DiscoveredEntry[]): Discovery {
  const files: InputFile[] = [];
  const skipped: SkippedInput[] = [];
  for (const e of entries) {
    if (e.kind === 'file') files.push(e.file);
    else skipped.push(e.skipped);
  }
  return { files, skipped, entries };
}

/** Takes every regular file as an input, unread. */
function listOnly(sizes: boolean): (path: string, rel: string, entries: DiscoveredEntry[]) => void {
  return (path, rel, entries) => {
    let size = 0;
    if (sizes) {
      try {
        size = statSync(path).size;
      } catch {
        /* the worker reports it */
      }
    }
    entries.push({ kind: 'file', file: { path, relativePath: rel, size } });
  };
}

/** True for names that promise DICOM: such a file that is not DICOM is a failure, not a skip. */
export const hasDicomName = (path: string): boolean => /\.(dcm|dicom|dic)$/i.test(path);

/** Why a file that is not readable DICOM should be skipped rather than failed, or null when it is a failure. */
export function skipReason(path: string): string | null {
  let kind: DicomKind;
  try {
    kind = sniff(path).kind;
  } catch {
    return null;
  }
  if (kind === 'dicomdir') return DICOMDIR_NOTE;
  if (kind === 'not-dicom' && !hasDicomName(path)) return NOT_DICOM_NOTE;
  return null;
}

export const DICOMDIR_NOTE = 'DICOMDIR not copied (it holds identifying data and the old file paths)';
export const NOT_DICOM_NOTE = 'not a DICOM file';

function sniffAndClassify(path: string, rel: string, entries: DiscoveredEntry[]): void {
  const skip = (reason: string): void => void entries.push({ kind: 'skipped', skipped: { path, relativePath: rel, reason } });
  let kind: DicomKind;
  let size: number;
  try {
    ({ kind, size } = sniff(path));
  } catch (error) {
    skip(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return;
  }
  // A file named like DICOM that does not look like it is reported as a failure by the reader, not silently skipped.
  if (kind === 'dicom' || (kind === 'not-dicom' && hasDicomName(path))) entries.push({ kind: 'file', file: { path, relativePath: rel, size } });
  else if (kind === 'dicomdir') skip(DICOMDIR_NOTE);
  else skip(NOT_DICOM_NOTE);
}

/** Files found below the sub-folders of `root` (what -r would add), counted up to `limit` files. */
export interface SubfolderFiles {
  /** Files found, at most `limit`. */
  count: number;
  /** The sub-folders of `root` (relative names, sorted) that hold them. */
  folders: string[];
  /** True when the count stopped at `limit`. */
  more: boolean;
}

/** Counts the regular files in the sub-folders of `root` (not following links), stopping at `limit`. */
export function filesInSubfolders(root: string, limit = 10_000): SubfolderFiles {
  const folders = new Set<string>();
  let count = 0;
  const walk = (dir: string, top: string): void => {
    let dirents;
    try {
      dirents = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of dirents) {
      if (count >= limit) return;
      if (entry.isDirectory()) walk(join(dir, entry.name), top);
      else if (entry.isFile()) {
        count++;
        folders.add(top);
      }
    }
  };
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory()) walk(join(root, entry.name), entry.name);
  }
  return { count, folders: [...folders].sort(), more: count >= limit };
}
