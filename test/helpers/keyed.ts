// The keyed derivations, written out from their documented definitions (README, src/anonymize/keys.ts header) so
// tests compare the engine's output with the definition, not with a second call of the engine's own Keys class.

import { createHmac } from 'node:crypto';

/** HMAC-SHA256(secret, purpose NUL input). */
export function keyedMac(secret: string, purpose: string, input: string): Buffer {
  return createHmac('sha256', Buffer.from(secret.trim(), 'utf8')).update(`${purpose}\0${input}`, 'utf8').digest();
}

/** The remapped UID: 2.25.<decimal of the first 128 bits of HMAC-SHA256(secret, "uid" NUL old UID)>. */
export function keyedUid(secret: string, oldUid: string): string {
  return `2.25.${BigInt('0x' + keyedMac(secret, 'uid', oldUid).subarray(0, 16).toString('hex')).toString(10)}`;
}
