// Keyed hash (Microsoft "cryptoHash"). With a config key: HMAC-SHA256(key, UTF-8 of each decoded value), as
// Microsoft computes it; without one: the run's keyed HMAC. Each value of a multi-valued element is hashed alone.
// Differences from Microsoft, on purpose (spec §5.7: they write the 64-character hex into every string VR):
//   - text VRs get the lower-case hex cut to the VR's maximum length (AE, SH, CS: 16; LO, PN: 64), CS in upper
//     case (CS allows no lower case);
//   - UI gets a valid UID 2.25.<decimal of the first 128 bits>; without a config key it is exactly the UID that
//     remapUid gives, so hashed and remapped references still agree; standard UIDs (SOP classes...) are kept;
//   - AS, DA, DT, TM, DS, IS have a syntax a digest would break: they are emptied;
//   - encapsulated pixel data: each fragment becomes its digest and the Basic Offset Table is left empty (they drop it).
import { createHmac } from 'node:crypto';
import type { ActionContext } from '../context.js';
import { getStrings, setString } from '../../dicom/values.js';
import { maxValueLength, vrInfo } from '../../dicom/vr.js';
import { isStandardUid } from '../../dicom/uid-registry.js';
import { emptyElement } from './empty.js';
import { uidFromDigest } from '../keys.js';

/** Hex digits kept for text VRs without a (small) maximum length. */
const FULL_HEX = 64;

/** HMAC-SHA256 of text (as UTF-8) or bytes: under the config key when given, else the run's key. */
export function digest(ctx: ActionContext, data: Uint8Array | string, key?: string): Buffer {
  if (key !== undefined) return createHmac('sha256', Buffer.from(key, 'utf8')).update(data).digest();
  return ctx.keys.mac('hash', typeof data === 'string' ? data : Buffer.from(data).toString('latin1'));
}

function hashUid(ctx: ActionContext, uid: string, key?: string): string {
  if (uid === '' || isStandardUid(uid)) return uid;
  if (key === undefined) {
    const fresh = ctx.keys.uid(uid);
    ctx.facts.uidMap.set(uid, fresh);
    return fresh;
  }
  return uidFromDigest(digest(ctx, uid, key));
}

export function hashValue(ctx: ActionContext, key?: string): 'walk' | void {
  const el = ctx.element;
  if (el.items !== null) return 'walk';
  if (el.vr === 'UI') {
    const values = getStrings(ctx.dataset, el, ctx.source);
    if (values.length === 0) return;
    setString(ctx.dataset, el, values.map((v) => hashUid(ctx, v, key)).join('\\'));
    return;
  }
  // Text VRs take the hex digest; those with a fixed syntax (dates, ages, numbers) that a digest would break are emptied.
  const info = vrInfo(el.vr);
  if (info?.kind === 'text' && !info.formatted) {
    const values = getStrings(ctx.dataset, el, ctx.source);
    if (values.length === 0) return;
    const max = Math.min(maxValueLength(el.vr) ?? FULL_HEX, FULL_HEX);
    const hashed = values.map((v) => digest(ctx, v, key).toString('hex').slice(0, max));
    setString(ctx.dataset, el, (el.vr === 'CS' ? hashed.map((h) => h.toUpperCase()) : hashed).join('\\'));
    return;
  }
  if (info?.formatted) return emptyElement(ctx);
  if (el.fragments !== null) {
    el.fragments = el.fragments.map((f, i) => {
      if (i === 0) return { span: null, value: new Uint8Array(0) }; // offsets into the old fragments: meaningless now
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
