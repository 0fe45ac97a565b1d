// Whether the run can write where it was told to, checked once before any file: a read-only output gives one line
// saying what is wrong and what to do, not a raw EROFS per file (or "ENOENT: mkdir failed" for each sub-folder).

import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './usage-error.js';

/**
 * Throws UsageError when folder `folder` (the output, or the folder of an output file) could not be written: the
 * nearest existing folder on its path must be a folder the process may write into. Creates nothing (a refused run
 * leaves no empty folder behind). `flag` names the option in the message (e.g. "--output (-o)").
 */
export function assertWritableFolder(folder: string, flag: string): void {
  const target = resolve(folder);
  let at = target;
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && dirname(at) !== at) {
        at = dirname(at);
        continue;
      }
      if (code === 'ENOTDIR') throw new UsageError(`${flag} ${target} cannot be created: a part of its path is a file, not a folder; choose another ${flag}`);
      throw new UsageError(`${flag} ${target} cannot be checked (${code ?? 'error'}); choose another ${flag}`);
    }
    if (!isDir) throw new UsageError(`${flag} ${target} cannot be created: ${at} is a file, not a folder; choose another ${flag}`);
    break;
  }
  try {
    accessSync(at, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = at === target ? `${flag} ${target}` : `${flag} ${target} (its nearest existing folder ${at})`;
    if (code === 'EROFS') throw new UsageError(`${where} is on a read-only file system: choose a writable ${flag}`);
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError(`${where} is not writable for this user (permission denied): choose a writable ${flag}, or fix its permissions`);
    throw new UsageError(`${where} cannot be written (${code ?? 'error'}): choose a writable ${flag}`);
  }
}
