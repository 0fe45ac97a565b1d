// Output folders created without following links: at the moment of each write, the output root must still be the
// folder the run started with, and every folder below it is checked with lstat (and created one level at a time).
// Nothing is cached, so a folder swapped for a symbolic link mid-run is caught at the next write into it.

import { lstatSync, mkdirSync, readlinkSync, realpathSync, unlinkSync, type Stats } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

/** The error of a refused write (told in the report as "CODE: output folder check (why) failed"). */
function leavesTree(why: string, code = 'ESYMLINK'): Error {
  return Object.assign(new Error('output folder leads out of the output tree'), { code, syscall: `output folder check (${why})` });
}

/**
 * Makes sure folder `dir` exists below `root` (the output root as given) with no link on the way: `rootReal` is the
 * root's real path when the run started.
 */
export function ensureFolderInside(root: string, rootReal: string, dir: string): void {
  const rel = relative(root, dir);
  if (rel.startsWith('..') || rel.split(sep).includes('..')) throw leavesTree('the folder is not below the output root');
  // Runs for every output file: one realpath(3) call when the root exists (the JS realpathSync lstats each component).
  let real: string;
  try {
    real = realpathSync.native(root);
  } catch {
    mkdirSync(root, { recursive: true });
    real = realpathSync.native(root);
  }
  if (real !== rootReal) throw leavesTree('the output root was replaced');
  let at = root;
  for (const part of rel === '' ? [] : rel.split(sep)) {
    at = join(at, part);
    let st = lstatOrNull(at);
    if (st === null) {
      try {
        mkdirSync(at);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      st = lstatOrNull(at);
    }
    if (st === null) throw leavesTree('a folder vanished while it was created');
    if (st.isSymbolicLink()) throw leavesTree('a symbolic link in the output tree');
    if (!st.isDirectory()) throw leavesTree('a file where a folder should be', 'ENOTDIR');
  }
}

/**
 * Throws (and removes the file) when the file just opened as `path` is not inside `rootReal`: on Linux the kernel
 * says where the open file really is (/proc/self/fd), elsewhere its folder's real path is checked.
 */
export function assertOpenedInside(fd: number, path: string, rootReal: string): void {
  let real: string;
  try {
    real = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    real = join(realpathSync(dirname(path)), basename(path));
  }
  if (real.startsWith(rootReal + sep)) return;
  try { unlinkSync(real); } catch { /* not ours to keep either way */ }
  throw leavesTree('the file was opened outside the output tree');
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
