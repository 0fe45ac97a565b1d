// Microsoft "encrypt": AES-CBC (PKCS#7) with a random IV per value, stored as base64(IV ‖ ciphertext) for text and
// raw bytes for OB/UN. Text is encrypted as UTF-8 (Microsoft's ASCII conversion loses non-ASCII characters).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { ActionContext } from '../context.js';
import { AnonymizeError, pathOf } from '../context.js';
import { getStrings, setString } from '../../dicom/values.js';
import { maxValueLength } from '../../dicom/vr.js';

function cipherKey(ctx: ActionContext, key?: string): Buffer {
  if (key !== undefined) return Buffer.from(key, 'utf8');
  return createHash('sha256').update(ctx.keys.mac('encrypt-key', '')).digest();
}

const algorithmFor = (key: Buffer): string => `aes-${key.length * 8}-cbc`;

export function encryptBytes(plain: Uint8Array, key: Buffer): Buffer {
  const iv = randomBytes(16);
  const cipher = createCipheriv(algorithmFor(key), key, iv);
  return Buffer.concat([iv, cipher.update(plain), cipher.final()]);
}

/** Inverse of encryptBytes (IV ‖ ciphertext), for the owner of the key. */
export function decryptBytes(data: Uint8Array, key: Buffer): Buffer {
  const decipher = createDecipheriv(algorithmFor(key), key, data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
}

export function encryptValue(ctx: ActionContext, key?: string): 'walk' | void {
  const el = ctx.element;
  if (el.items !== null) return 'walk';
  const k = cipherKey(ctx, key);
  if (el.vr === 'OB' || el.vr === 'UN') {
    el.setValue(encryptBytes(el.bytes(ctx.source), k));
    return;
  }
  const values = getStrings(ctx.dataset, el, ctx.source).filter((v) => v !== '');
  if (values.length === 0) return;
  const encrypted = values.map((v) => encryptBytes(Buffer.from(v, 'utf8'), k).toString('base64'));
  const max = maxValueLength(el.vr);
  if (max !== undefined && encrypted.some((e) => e.length > max)) {
    throw new AnonymizeError(`an encrypted value does not fit VR ${el.vr} (at most ${max} characters)`, pathOf(ctx));
  }
  setString(ctx.dataset, el, encrypted.join('\\'));
}
