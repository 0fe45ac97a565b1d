// The keygen command: a new random key file (32 bytes, mode 0600), never over an existing file.

import type { Command } from 'commander';
import { writeNewKeyFile } from '../api/keys.js';
import { UsageError } from '../api/batch.js';
import { EXIT, printLine } from './common.js';

export function defineKeygenCommand(command: Command, setExit: (code: number) => void): Command {
  return command
    .description('write a new random key file (32 bytes, readable only by you) for --key-file; never overwrites a file')
    .argument('<file>', 'where to write the key')
    .exitOverride()
    .action((file: string) => {
      try {
        writeNewKeyFile(file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new UsageError(`${file} exists: keygen never overwrites a file (a key in use must stay)`);
        throw new UsageError(`cannot write ${file} (${code ?? 'error'})`);
      }
      printLine(`wrote a new key to ${file} (mode 600); keep it safe: with it, pseudonyms can be recomputed`);
      setExit(EXIT.ok);
    });
}
