// Making a key: 32 random bytes written to a new file readable only by its owner (`dicom-anonymizer keygen`).

import { randomBytes } from 'node:crypto';
import { writeFileAtomically } from '../files/atomic-output.js';

const KEY_BYTES = 32;
/** Key bytes are trimmed of ASCII whitespace at their ends (anonymize/keys.ts): a new key has none there. */
const isEdgeSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

export function newKeyBytes(): Buffer {
  for (;;) {
    const key = randomBytes(KEY_BYTES);
    if (!isEdgeSpace(key[0]) && !isEdgeSpace(key[KEY_BYTES - 1])) return key;
  }
}

/** Writes a new key to `path` with mode 600; never overwrites a file (EEXIST: a key in use must stay). */
export function writeNewKeyFile(path: string): void {
  writeFileAtomically(path, newKeyBytes(), { mode: 0o600, noOverwrite: true });
}
