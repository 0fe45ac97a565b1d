// Microsoft "perturb": numeric values moved by noise in [-s/2, s/2] (s = span, or |value × span| when proportional),
// rounded to `roundTo` decimals. The noise is keyed (HMAC of the value's path, index and value), so reruns with the
// same key agree (theirs is random).
// Differences from Microsoft, on purpose: results are clamped to the VR's range (MS-16: they wrap around); IS stays
// within its 32-bit range; an AS over 999 in its unit is converted to years and capped at 999Y (they fail).
import type { ActionContext } from '../context.js';
import { AnonymizeError, pathOf } from '../context.js';
import { DataElement } from '../../dicom/dataset.js';
import { encodeNumbers, getNumbers, getStrings, setString } from '../../dicom/values.js';
import { numberTypeOf, vrInfo } from '../../dicom/vr.js';
import { ageInYears, parseAge } from '../dates.js';

export interface PerturbSettings { span: number; roundTo: number; rangeType: 'fixed' | 'proportional' }

const FLOAT32_MAX = 3.4028234663852886e38;

function noisy(ctx: ActionContext, value: number, index: number, s: PerturbSettings, integer: boolean): number {
  const spread = s.rangeType === 'fixed' ? s.span : Math.abs(value * s.span);
  const u = ctx.keys.fraction('perturb', `${pathOf(ctx)}#${index}=${value}`);
  const result = value + (u - 0.5) * spread;
  if (integer) return Math.trunc(result);
  const f = 10 ** s.roundTo;
  const rounded = Math.round(result * f) / f;
  return Number.isFinite(rounded) ? rounded : result;
}

const clamp = (v: number, [lo, hi]: readonly [number, number]): number => Math.min(hi, Math.max(lo, v));

export function perturbValue(ctx: ActionContext, settings: PerturbSettings): 'walk' | void {
  const el = ctx.element;
  if (el.items !== null) return 'walk';
  const type = numberTypeOf(el.vr);
  if (type !== undefined) {
    if (el.fragments !== null) throw new AnonymizeError('perturb cannot change encapsulated pixel data', pathOf(ctx));
    // Read through an element of the number type (OW → US...), in the dataset's byte order.
    const view = new DataElement(el.tag, type);
    view.value = el.bytes(ctx.source);
    const numbers = getNumbers(ctx.dataset, view);
    if (numbers.length === 0) return;
    const range = vrInfo(type)?.integerRange;
    const out = numbers.map((n, i) => {
      const v = noisy(ctx, n, i, settings, range !== undefined);
      if (range !== undefined) return clamp(v, range);
      return type === 'FL' ? clamp(v, [-FLOAT32_MAX, FLOAT32_MAX]) : v;
    });
    el.setValue(encodeNumbers(ctx.dataset, type, out), el.vr);
    return;
  }
  if (el.vr === 'DS' || el.vr === 'IS') {
    const values = getStrings(ctx.dataset, el, ctx.source);
    if (values.length === 0) return;
    const out = values.map((v, i) => {
      const n = Number(v);
      if (v === '' || !Number.isFinite(n)) return v;
      if (el.vr === 'IS') return String(clamp(noisy(ctx, n, i, settings, true), vrInfo('IS')!.integerRange!));
      return formatDS(noisy(ctx, n, i, settings, false));
    });
    setString(ctx.dataset, el, out.join('\\'));
    return;
  }
  if (el.vr === 'AS') {
    const values = getStrings(ctx.dataset, el, ctx.source);
    if (values.length === 0) return;
    const out = values.map((v, i) => {
      const age = parseAge(v);
      if (!age) return v;
      let n = Math.max(0, noisy(ctx, age.count, i, settings, true));
      let unit = age.unit;
      if (n > 999 && unit !== 'Y') {
        n = ageInYears({ count: n, unit });
        unit = 'Y';
      }
      return String(Math.min(n, 999)).padStart(3, '0') + unit;
    });
    setString(ctx.dataset, el, out.join('\\'));
    return;
  }
  throw new AnonymizeError(`perturb applies to numbers, not VR ${el.vr}`, pathOf(ctx));
}

/** A DS value of at most 16 characters: fewer significant digits, then exponent form, when needed. */
export function formatDS(n: number): string {
  let text = String(n);
  for (let digits = 15; text.length > 16 && digits > 1; digits--) text = String(Number(n.toPrecision(digits)));
  for (let digits = 8; text.length > 16 && digits > 0; digits--) text = n.toExponential(digits);
  return text;
}
