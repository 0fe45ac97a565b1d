// Finding input files: one file, or a folder (recursively with -r), any file name. DICOM is recognised by its
// content (preamble + "DICM", or a plausible first element), not by extension. Symlinks never lead out of the tree.

import { closeSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface InputFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the input root ('' root for a single file: its base name). */
  relativePath: string;
}

export interface SkippedInput {
  path: string;
  relativePath: string;
  reason: string;
}

export interface Discovery {
  files: InputFile[];
  skipped: SkippedInput[];
}

/** Reads the first 132+8 bytes and says whether they look like DICOM. */
export function sniffDicom(path: string): 'dicom' | 'dicomdir' | 'not-dicom' {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(512);
    const n = readSync(fd, head, 0, head.length, 0);
    const bytes = head.subarray(0, n);
    const isDicomdir = bytes.includes(Buffer.from('1.2.840.10008.1.3.10'));
    if (n >= 132 && bytes.toString('latin1', 128, 132) === 'DICM') return isDicomdir ? 'dicomdir' : 'dicom';
    if (n >= 4 && bytes.toString('latin1', 0, 4) === 'DICM') return 'dicom';
    if (n < 8) return 'not-dicom';
    const group = bytes.readUInt16LE(0);
    const element = bytes.readUInt16LE(2);
    const vr = bytes.toString('latin1', 4, 6);
    const explicitVR = /^(AE|AS|AT|CS|DA|DS|DT|FD|FL|IS|LO|LT|OB|OD|OF|OL|OV|OW|PN|SH|SL|SQ|SS|ST|SV|TM|UC|UI|UL|UN|UR|US|UT|UV)$/.test(vr);
    const beGroup = bytes.readUInt16BE(0);
    if (group === 0x0002 && explicitVR) return isDicomdir ? 'dicomdir' : 'dicom';
    if (group >= 0x0002 && group <= 0x0028 && group % 2 === 0 && element < 0x1000 && (explicitVR || bytes.readUInt32LE(4) < 0x10000)) return 'dicom';
    if (beGroup >= 0x0002 && beGroup <= 0x0028 && beGroup % 2 === 0 && explicitVR) return 'dicom';
    return 'not-dicom';
  } finally {
    closeSync(fd);
  }
}

/**
 * Lists the inputs under `root`. With `recursive` false only the folder's own files are taken. Links are followed
 * only when their target stays inside `root` (unless `followSymlinks`).
 */
export function discoverInputs(root: string, options: { recursive: boolean; followSymlinks?: boolean }): Discovery {
  const files: InputFile[] = [];
  const skipped: SkippedInput[] = [];
  const rootStat = statSync(root);
  if (!rootStat.isDirectory()) {
    const name = root.split(sep).pop() ?? root;
    classify(root, name, files, skipped);
    return { files, skipped };
  }
  const realRoot = realpathSync(root);
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = relative(root, path);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(path);
        } catch {
          skipped.push({ path, relativePath: rel, reason: 'broken symbolic link' });
          continue;
        }
        if (!options.followSymlinks && target !== realRoot && !target.startsWith(realRoot + sep)) {
          skipped.push({ path, relativePath: rel, reason: 'symbolic link leads out of the input folder (not followed)' });
          continue;
        }
        const st = statSync(path);
        isDir = st.isDirectory();
        isFile = st.isFile();
        if (isDir) {
          skipped.push({ path, relativePath: rel, reason: 'symbolic link to a folder (not followed, to avoid cycles)' });
          continue;
        }
      }
      if (isDir) {
        if (options.recursive) walk(path);
        continue;
      }
      if (isFile) classify(path, rel, files, skipped);
    }
  };
  walk(root);
  return { files, skipped };
}

function classify(path: string, rel: string, files: InputFile[], skipped: SkippedInput[]): void {
  let kind: ReturnType<typeof sniffDicom>;
  try {
    kind = sniffDicom(path);
  } catch (error) {
    skipped.push({ path, relativePath: rel, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    return;
  }
  // A file named like DICOM that does not look like it is reported as a failure by the reader, not silently skipped.
  if (kind === 'dicom' || (kind === 'not-dicom' && /\.(dcm|dicom|dic)$/i.test(path))) files.push({ path, relativePath: rel });
  else if (kind === 'dicomdir') skipped.push({ path, relativePath: rel, reason: 'DICOMDIR not copied (it holds identifying data and the old file paths)' });
  else skipped.push({ path, relativePath: rel, reason: 'not a DICOM file' });
}
