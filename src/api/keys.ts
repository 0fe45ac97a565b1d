// Public entry `dicom-anonymizer/keys`: make a key, load the run's key (file or environment), derive the keyed
// pseudonyms from it, and decrypt what the encrypt action wrote.

export { newKeyBytes, writeNewKeyFile } from '../batch/key-file.js';
export { loadKeySecret, keysFromSecret, KEY_ENV, type KeyOptions } from '../batch/secret.js';
export type { KeySecret } from '../batch/protocol.js';
export { Keys } from '../anonymize/keys.js';
export { decryptBytes } from '../anonymize/actions/encrypt.js';
