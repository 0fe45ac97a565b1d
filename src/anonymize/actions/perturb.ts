// Microsoft "perturb": numeric values moved by noise in [-s/2, s/2] (s = span, or |value × span| when proportional),
// rounded to `roundTo` decimals. The noise is keyed (HMAC of the value's path and value), so reruns agree.
import type { ActionContext } from '../context.js';
import { AnonymizeError, pathOf } from '../context.js';
import { encodeNumbers, getNumbers, getStrings, setString } from '../../dicom/values.js';

export interface PerturbSettings { span: number; roundTo: number; rangeType: 'fixed' | 'proportional' }

const INTEGER_VRS = new Set(['IS', 'US', 'SS', 'UL', 'SL', 'SV', 'UV']);
const BINARY = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'SV', 'UV']);

function noisy(ctx: ActionContext, value: number, index: number, s: PerturbSettings, integer: boolean): number {
  const spread = s.rangeType === 'fixed' ? s.span : Math.abs(value * s.span);
  const u = ctx.keys.fraction('perturb', `${pathOf(ctx)}#${index}=${value}`);
  const result = value + (u - 0.5) * spread;
  if (integer) return Math.trunc(result);
  const f = 10 ** s.roundTo;
  return Math.round(result * f) / f;
}

export function perturbValue(ctx: ActionContext, settings: PerturbSettings): 'walk' | void {
  const el = ctx.element;
  if (el.items !== null) return 'walk';
  if (BINARY.has(el.vr)) {
    const numbers = getNumbers(ctx.dataset, el, ctx.source);
    const unsigned = el.vr.startsWith('U');
    const out = numbers.map((n, i) => {
      const v = noisy(ctx, n, i, settings, INTEGER_VRS.has(el.vr));
      return unsigned ? Math.max(0, v) : v;
    });
    el.setValue(encodeNumbers(ctx.dataset, el.vr, out));
    return;
  }
  if (el.vr === 'DS' || el.vr === 'IS') {
    const values = getStrings(ctx.dataset, el, ctx.source);
    const out = values.map((v, i) => {
      const n = Number(v);
      if (v === '' || !Number.isFinite(n)) return v;
      const p = noisy(ctx, n, i, settings, el.vr === 'IS');
      return el.vr === 'DS' ? formatDS(p) : String(p);
    });
    setString(ctx.dataset, el, out.join('\\'));
    return;
  }
  if (el.vr === 'AS') {
    const values = getStrings(ctx.dataset, el, ctx.source);
    const out = values.map((v, i) => {
      const m = /^(\d{3})([DWMY])$/.exec(v);
      if (!m) return v;
      const n = Math.max(0, noisy(ctx, Number(m[1]), i, settings, true));
      return String(Math.min(n, 999)).padStart(3, '0') + m[2];
    });
    setString(ctx.dataset, el, out.join('\\'));
    return;
  }
  throw new AnonymizeError(`perturb applies to numbers, not VR ${el.vr}`, pathOf(ctx));
}

/** DS allows 16 characters: shorten with fewer significant digits when needed. */
function formatDS(n: number): string {
  let text = String(n);
  for (let digits = 15; text.length > 16 && digits > 1; digits--) text = String(Number(n.toPrecision(digits)));
  return text.length > 16 ? n.toExponential(8) : text;
}
