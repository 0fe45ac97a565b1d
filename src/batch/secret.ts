// The key secret as plain data, so every worker can build the same Keys: from --key-file, else
// DICOM_ANONYMIZER_KEY, else 32 random bytes drawn once for the whole run (all workers share them). Both sources
// follow one rule (anonymize/keys.ts keyBytes). Plain data rather than a Keys object: a Keys cannot be handed to a
// worker thread.

import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { Keys } from '../anonymize/keys.js';
import { UsageError } from '../files/usage-error.js';
import type { KeySecret } from './protocol.js';

export const KEY_ENV = 'DICOM_ANONYMIZER_KEY';

export function keysFromSecret(secret: KeySecret): Keys {
  return secret.kind === 'text' ? Keys.fromSecret(secret.text) : Keys.fromSecret(Buffer.from(secret.bytes));
}

export interface KeyOptions {
  keyFile?: string;
  /** Accept a key file that group or others can read. */
  allowReadableKey?: boolean;
  /** The flags that need the same key in every run or shard (e.g. ["--shard"]): a random key is refused for them. */
  needsFixedKey?: string[];
}

export function loadKeySecret(options: KeyOptions, warn: (message: string) => void): KeySecret {
  const envText = process.env[KEY_ENV];
  const secret = options.keyFile ? secretFromFile(options.keyFile, options.allowReadableKey ?? false)
    : envText !== undefined ? secretFromEnvironment(envText)
    : randomSecret(options.needsFixedKey ?? [], warn);
  try {
    keysFromSecret(secret); // checks the key now, before any worker starts
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return secret;
}

function secretFromFile(keyFile: string, allowReadable: boolean): KeySecret {
  let stats: Stats;
  try {
    stats = statSync(keyFile);
  } catch (error) {
    throw new UsageError(keyFileProblem(keyFile, error as NodeJS.ErrnoException));
  }
  if (stats.isDirectory()) {
    throw new UsageError(`the key file ${keyFile} is a folder, not a file: pass the key file itself (make one with "dicom-anonymizer keygen FILE")`);
  }
  const mode = stats.mode;
  if (mode & 0o077 && !allowReadable) {
    throw new UsageError(`the key file ${keyFile} is readable by other users (mode ${(mode & 0o777).toString(8)}): chmod 600 ${keyFile} (or pass --allow-readable-key)`);
  }
  try {
    return { kind: 'bytes', bytes: readFileSync(keyFile) };
  } catch (error) {
    throw new UsageError(keyFileProblem(keyFile, error as NodeJS.ErrnoException));
  }
}

/** What is wrong with a key file that cannot be read, and what to do, in one line (not a raw ENOENT … stat). */
function keyFileProblem(keyFile: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return `the key file ${keyFile} does not exist: check the path, or make a key with "dicom-anonymizer keygen ${keyFile}"`;
    case 'ENOTDIR':
      return `the key file ${keyFile} is not reachable (a part of its path is a file, not a folder): check the path`;
    case 'EACCES':
    case 'EPERM':
      return `the key file ${keyFile} cannot be read (permission denied): run as its owner, or check its mode (chmod 600)`;
    default:
      return `the key file ${keyFile} cannot be read (${error.code ?? error.message}): check the path`;
  }
}

function secretFromEnvironment(text: string): KeySecret {
  if (text.trim() === '') throw new UsageError(`${KEY_ENV} is set but empty: set it to a key, or unset it`);
  return { kind: 'text', text };
}

/** A key for this run only; refused for the flags that need the same key in every run or shard. */
function randomSecret(needing: string[], warn: (message: string) => void): KeySecret {
  if (needing.length > 0) {
    throw new UsageError(
      `${needing.join(' and ')} need${needing.length === 1 ? 's' : ''} a fixed key (--key-file or ${KEY_ENV}): with a random key each run ` +
      'or shard gives the same patient other pseudonyms and UIDs; make one with "dicom-anonymizer keygen FILE"',
    );
  }
  warn(`no key given (--key-file or ${KEY_ENV}): using a random key for this run; pseudonyms, UIDs and date shifts will not match any other run. Make a key with "dicom-anonymizer keygen FILE"`);
  return { kind: 'bytes', bytes: randomBytes(32) };
}
