// The keygen command: a new random key file (32 bytes, mode 0600), never over an existing file.

import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { writeFileAtomically } from '../files/atomic-output.js';
import { UsageError } from '../files/usage-error.js';
import { EXIT, printLine } from './common.js';

const KEY_BYTES = 32;
/** Key bytes are trimmed of ASCII whitespace at their ends (anonymize/keys.ts): a new key has none there. */
const isEdgeSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

export function newKeyBytes(): Buffer {
  for (;;) {
    const key = randomBytes(KEY_BYTES);
    if (!isEdgeSpace(key[0]) && !isEdgeSpace(key[KEY_BYTES - 1])) return key;
  }
}

export function defineKeygenCommand(command: Command, setExit: (code: number) => void): Command {
  return command
    .description('write a new random key file (32 bytes, readable only by you) for --key-file; never overwrites a file')
    .argument('<file>', 'where to write the key')
    .exitOverride()
    .action((file: string) => {
      try {
        writeFileAtomically(file, newKeyBytes(), { mode: 0o600, noOverwrite: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new UsageError(`${file} exists: keygen never overwrites a file (a key in use must stay)`);
        throw new UsageError(`cannot write ${file} (${code ?? 'error'})`);
      }
      printLine(`wrote a new key to ${file} (mode 600); keep it safe: with it, pseudonyms can be recomputed`);
      setExit(EXIT.ok);
    });
}
