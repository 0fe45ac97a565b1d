// The quarantine folder's default, in one place: without --quarantine, quarantined files (metadata de-identified,
// pixels possibly showing a name) go to `<input>-quarantine` beside the input, with the originals they are as
// sensitive as; never beside the output, whose parent is often the folder people share (the guide's loop writes
// ./anonymized/<study> for every study: `<output>-quarantine` put every quarantine inside ./anonymized/).

import { resolve } from 'node:path';

/** Said wherever the default is named (help, summary, README): where it is and why. */
export const DEFAULT_QUARANTINE_NOTE = '<input>-quarantine beside the input (with the originals, never beside the output: quarantined files are as sensitive as the originals)';

/**
 * `<input>-quarantine`: the input file or folder's path without trailing separators, with "-quarantine" added; null
 * when the input is a file-system root (no folder can be beside it: --quarantine is then required).
 */
export function defaultQuarantineFolder(input: string): string | null {
  const trimmed = resolve(input).replace(/[\\/]+$/, '');
  if (trimmed === '' || /^[A-Za-z]:$/.test(trimmed)) return null;
  return `${trimmed}-quarantine`;
}
