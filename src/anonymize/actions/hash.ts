// Keyed hash: HMAC-SHA256 of each value as lower-case hex, cut to the VR's maximum length (Microsoft writes 64
// characters into 16-character VRs). With a config key the digest is HMAC(key, value), as Microsoft computes it.
import { createHmac } from 'node:crypto';
import type { ActionContext } from '../context.js';
import { getStrings, setString } from '../../dicom/values.js';
import { maxValueLength } from '../../dicom/vr.js';
import { emptyElement } from './empty.js';

/** VRs whose values have a fixed syntax a hex digest would break: hashing these empties them instead. */
const FORMATTED = new Set(['AS', 'DA', 'DT', 'TM', 'DS', 'IS']);
const TEXT = new Set(['AE', 'CS', 'SH', 'LO', 'PN', 'UC', 'UT', 'ST', 'LT', 'UR']);

export function digest(ctx: ActionContext, data: Uint8Array | string, key?: string): Buffer {
  if (key !== undefined) return createHmac('sha256', Buffer.from(key, 'utf8')).update(data).digest();
  return ctx.keys.mac('hash', typeof data === 'string' ? data : Buffer.from(data).toString('latin1'));
}

export function hashValue(ctx: ActionContext, key?: string): 'walk' | void {
  const el = ctx.element;
  if (el.items !== null) return 'walk';
  if (el.vr === 'UI') {
    const values = getStrings(ctx.dataset, el, ctx.source);
    setString(ctx.dataset, el, values.map((v) => (v === '' ? '' : `2.25.${BigInt('0x' + digest(ctx, v, key).subarray(0, 16).toString('hex'))}`)).join('\\'));
    return;
  }
  if (TEXT.has(el.vr)) {
    const values = getStrings(ctx.dataset, el, ctx.source);
    if (values.length === 0) return;
    const max = el.vr === 'PN' ? 64 : maxValueLength(el.vr) ?? 64;
    const hashed = values.map((v) => digest(ctx, v, key).toString('hex').slice(0, max));
    setString(ctx.dataset, el, el.vr === 'CS' ? hashed.map((h) => h.toUpperCase()).join('\\') : hashed.join('\\'));
    return;
  }
  if (FORMATTED.has(el.vr)) return emptyElement(ctx);
  if (el.fragments !== null) {
    el.fragments = el.fragments.map((f) => {
      const bytes = f.value instanceof Uint8Array ? f.value : ctx.source.read(f.value.offset, f.value.length);
      return { span: null, value: digest(ctx, bytes, key) };
    });
    el.span = null;
    return;
  }
  if (el.vr === 'OB' || el.vr === 'UN') {
    el.setValue(digest(ctx, el.bytes(ctx.source), key));
    return;
  }
  // Binary numbers, AT, OW/OF/OD/OL/OV: a digest does not fit; empty.
  emptyElement(ctx);
}
