// The one keyed derivation behind every pseudonym: HMAC-SHA256 under the run's secret, with a purpose label so
// that a UID, a hash and a date offset of the same input never collide. Same key + input → same output anywhere.

import { createHmac, randomBytes } from 'node:crypto';

/** A UID under the 2.25 root: the decimal of the first 128 bits of a digest (at most 44 characters). */
export function uidFromDigest(digest: Uint8Array): string {
  return `2.25.${BigInt('0x' + Buffer.from(digest.buffer, digest.byteOffset, 16).toString('hex')).toString(10)}`;
}

/** HMAC-SHA256(secret, purpose NUL input). */
function hmac(secret: Buffer | string, purpose: string, input: string): Buffer {
  return createHmac('sha256', secret).update(purpose).update('\0').update(input, 'utf8').digest();
}

/**
 * Fewest bytes of a key, and the least entropy it must show by length × Shannon entropy of its byte frequencies:
 * 16 spaces give 0 bits, "abcd" four times 32; 16 random hex digits score under 36 in about 4 of 100,000 draws.
 */
export const MIN_KEY_BYTES = 16;
export const MIN_KEY_BITS = 34;

const isAsciiSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/**
 * The key bytes of a secret, by one rule for every source: the UTF-8 bytes of text, or the bytes of a file, with
 * ASCII whitespace (space, tab, CR, LF) trimmed at both ends, so `echo KEY > file` and the same text in the
 * environment give the same key. Throws when the key is short or shows too little entropy (one repeated character,
 * a short repeated pattern): this catches mistakes, not weak passphrases.
 */
export function keyBytes(secret: Uint8Array | string): Buffer {
  const raw = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret.buffer, secret.byteOffset, secret.length);
  let start = 0, end = raw.length;
  while (start < end && isAsciiSpace(raw[start])) start++;
  while (end > start && isAsciiSpace(raw[end - 1])) end--;
  const bytes = raw.subarray(start, end);
  if (bytes.length < MIN_KEY_BYTES) throw new Error(`the anonymization key must be at least ${MIN_KEY_BYTES} bytes long (after trimming whitespace at its ends)`);
  if (entropyBits(bytes) < MIN_KEY_BITS) {
    throw new Error(`the anonymization key shows too little entropy (under ${MIN_KEY_BITS} bits: a repeated character or pattern); make one with "dicom-anonymizer keygen FILE"`);
  }
  return Buffer.from(bytes);
}

/** length × Shannon entropy of the byte frequencies: 0 for one repeated byte, 256 for 32 distinct bytes. */
function entropyBits(bytes: Uint8Array): number {
  const counts = new Map<number, number>();
  for (const b of bytes) counts.set(b, (counts.get(b) ?? 0) + 1);
  let perByte = 0;
  for (const n of counts.values()) perByte -= (n / bytes.length) * Math.log2(n / bytes.length);
  return perByte * bytes.length;
}

/**
 * Digits of a patient pseudonym (ANON + 20 digits = 24 characters; PatientID is LO and PatientName PN, 64 each):
 * 20 × log2(10) = 66.4 bits. Birthday bound p ≈ n² / 2^(b+1): for n = 100 million patients,
 * 10^16 / (2 × 10^20) = 5 × 10^-5 (one run in 20,000 of that size); for 1 million, 5 × 10^-9. The old 8 digits
 * (26.6 bits) collided with even odds at about 12,000 patients. A collision that happens anyway is detected: the
 * batch fails the later file rather than merging two patients (src/batch/mapping.ts).
 */
export const PATIENT_PSEUDONYM_DIGITS = 20;

/**
 * Digits of a device pseudonym (DEV + 13 = 16 characters, the maximum of AE): 43.2 bits; for 10,000 devices
 * p ≈ 10^8 / 2^44.2 = 5 × 10^-6 (the old 8 digits: about 0.4).
 */
export const DEVICE_PSEUDONYM_DIGITS = 13;

export class Keys {
  private constructor(private readonly secret: Buffer, readonly ephemeral: boolean) {}

  /** A key from secret bytes or text, by the rule of keyBytes. */
  static fromSecret(secret: Buffer | string): Keys {
    return new Keys(keyBytes(secret), false);
  }

  /** A random key for one run: results will not match any other run. */
  static random(): Keys {
    return new Keys(randomBytes(32), true);
  }

  /** Recent digests under the run's secret: the UIDs, patient IDs and scopes of one series repeat in every file. */
  private readonly memo = new Map<string, Buffer>();

  private readonly uidMemo = new Map<string, string>();

  /** HMAC-SHA256(secret, purpose NUL input). The returned buffer may be shared: never modify it. */
  mac(purpose: string, input: string, secret: Buffer | string = this.secret): Buffer {
    if (secret !== this.secret) return hmac(secret, purpose, input);
    const memoKey = purpose + '\0' + input;
    let digest = this.memo.get(memoKey);
    if (!digest) {
      digest = hmac(secret, purpose, input);
      if (this.memo.size >= 65_536) this.memo.clear(); // bounded: a cache, not a mapping table
      this.memo.set(memoKey, digest);
    }
    return digest;
  }

  /** New UID for an old one: 2.25.<decimal of the first 128 bits of the HMAC> (at most 44 characters). */
  uid(oldUid: string): string {
    let uid = this.uidMemo.get(oldUid);
    if (uid === undefined) {
      // Memoized here as a UID: the digest itself is not kept too.
      uid = uidFromDigest(hmac(this.secret, 'uid', oldUid));
      if (this.uidMemo.size >= 65_536) this.uidMemo.clear();
      this.uidMemo.set(oldUid, uid);
    }
    return uid;
  }

  /** Hex digest of a value, optionally under a config-given key instead of the run's. */
  hashHex(value: string, key?: string): string {
    return this.mac('hash', value, key === undefined ? this.secret : Buffer.from(key, 'utf8')).toString('hex');
  }

  /**
   * Pseudonym: prefix + `digits` decimal digits, the first 128 bits of the HMAC of the value modulo 10^digits
   * (uniform to within 10^digits / 2^128: nothing for up to 30 digits). Each digit carries log2(10) = 3.32 bits.
   */
  pseudonym(purpose: string, value: string, prefix: string, digits = PATIENT_PSEUDONYM_DIGITS): string {
    if (!Number.isInteger(digits) || digits < 1 || digits > 38) throw new RangeError('pseudonym digits must be 1 to 38');
    const n = BigInt('0x' + this.mac(`pseudonym:${purpose}`, value).subarray(0, 16).toString('hex')) % 10n ** BigInt(digits);
    return prefix + n.toString().padStart(digits, '0');
  }

  /** A whole number of days in [-range, +range], never 0, for the date shift of one scope value. */
  dayOffset(scopeValue: string, rangeDays: number, key?: string): number {
    const n = this.mac('date-shift', scopeValue, key === undefined ? this.secret : Buffer.from(key, 'utf8')).readUInt32BE(0);
    if (rangeDays <= 0) return 0;
    const offset = (n % (2 * rangeDays)) - rangeDays; // [-range, range-1]
    return offset >= 0 ? offset + 1 : offset; // skip 0: a shift of 0 days would keep the real dates
  }

  /** A fraction in [0,1) from the HMAC, for keyed noise (perturb). */
  fraction(purpose: string, input: string): number {
    return this.mac(purpose, input).readUInt32BE(0) / 2 ** 32;
  }
}
