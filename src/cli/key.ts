// The secret behind every pseudonym: from --key-file or DICOM_ANONYMIZER_KEY, never built in. Without one, a
// random key for this run and a warning, since the results will then not match any other run.

import { readFileSync, statSync } from 'node:fs';
import { Keys } from '../anonymize/keys.js';

export const KEY_ENV = 'DICOM_ANONYMIZER_KEY';

export function loadKeys(keyFile: string | undefined, warn: (message: string) => void): Keys {
  if (keyFile) {
    const mode = statSync(keyFile).mode;
    if (mode & 0o077) warn(`the key file ${keyFile} is readable by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
    return Keys.fromSecret(readFileSync(keyFile));
  }
  const fromEnv = process.env[KEY_ENV];
  if (fromEnv) return Keys.fromSecret(fromEnv);
  warn(`no key given (--key-file or ${KEY_ENV}): using a random key for this run; pseudonyms, UIDs and date shifts will not match any other run`);
  return Keys.random();
}
