// Microsoft "encrypt": AES-CBC (PKCS#7) with a random IV per value, stored as base64(IV ‖ ciphertext) for text and
// raw bytes for OB/UN. Text is encrypted as UTF-8 (Microsoft's ASCII conversion loses non-ASCII characters).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { ActionContext } from '../context.js';
import { AnonymizeError, pathOf } from '../context.js';
import { getStrings, setString } from '../../dicom/values.js';
import { isStringVR, maxValueLength } from '../../dicom/vr.js';

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
  if (el.fragments !== null) {
    // Each fragment encrypted alone (as Microsoft does); the Basic Offset Table is left empty.
    el.fragments = el.fragments.map((f, i) => {
      if (i === 0) return { span: null, value: new Uint8Array(0) };
      const bytes = f.value instanceof Uint8Array ? f.value : ctx.source.read(f.value.offset, f.value.length);
      return { span: null, value: encryptBytes(bytes, k) };
    });
    el.span = null;
    return;
  }
  if (el.vr === 'OB' || el.vr === 'UN') {
    el.setValue(encryptBytes(el.bytes(ctx.source), k));
    return;
  }
  if (!isStringVR(el.vr)) throw new AnonymizeError(`encrypt applies to text, OB and UN, not VR ${el.vr}`, pathOf(ctx));
  if (el.vr === 'UI') {
    // Base64 ('+', '/', '=', letters) is not a UID: refuse rather than write an invalid value (Microsoft writes it).
    throw new AnonymizeError('an encrypted value is not a valid UID (use remapUid or hash for VR UI)', pathOf(ctx));
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
