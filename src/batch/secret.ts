// The key secret as plain data, so every worker can build the same Keys: from --key-file (bytes as they are),
// else DICOM_ANONYMIZER_KEY (text, trimmed), else 32 random bytes drawn once for the whole run (all workers share
// them). Plain data rather than a Keys object, because a Keys cannot be handed to a worker thread.

import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { Keys } from '../anonymize/keys.js';
import type { KeySecret } from './protocol.js';

export const KEY_ENV = 'DICOM_ANONYMIZER_KEY';

export function keysFromSecret(secret: KeySecret): Keys {
  return secret.kind === 'text' ? Keys.fromSecret(secret.text) : Keys.fromSecret(Buffer.from(secret.bytes));
}

export function loadKeySecret(keyFile: string | undefined, warn: (message: string) => void): KeySecret {
  let secret: KeySecret;
  if (keyFile) {
    const mode = statSync(keyFile).mode;
    if (mode & 0o077) warn(`the key file ${keyFile} is readable by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
    secret = { kind: 'bytes', bytes: readFileSync(keyFile) };
  } else if (process.env[KEY_ENV]) {
    secret = { kind: 'text', text: process.env[KEY_ENV] ?? '' };
  } else {
    warn(`no key given (--key-file or ${KEY_ENV}): using a random key for this run; pseudonyms, UIDs and date shifts will not match any other run`);
    secret = { kind: 'bytes', bytes: randomBytes(32) };
  }
  keysFromSecret(secret); // checks the length now, before any worker starts
  return secret;
}
