// Replace (Microsoft "substitute"): a fixed value, parsed for the VR (numbers for binary VRs, a tag for AT).
import type { ActionContext } from '../context.js';
import { AnonymizeError, pathOf } from '../context.js';
import { encodeNumbers, setString } from '../../dicom/values.js';
import { isStringVR, numberTypeOf } from '../../dicom/vr.js';
import { parseTag } from '../../dicom/tag.js';


export function replaceValue(ctx: ActionContext, value: string): 'walk' | void {
  const el = ctx.element;
  if (el.items !== null) return 'walk';
  if (isStringVR(el.vr)) {
    setString(ctx.dataset, el, value);
    return;
  }
  const numeric = numberTypeOf(el.vr);
  if (numeric) {
    const numbers = value.split('\\').filter((p) => p.trim() !== '').map(Number);
    if (numbers.some((n) => !Number.isFinite(n))) throw new AnonymizeError(`replacement is not a number for VR ${el.vr}`, pathOf(ctx));
    el.setValue(encodeNumbers(ctx.dataset, numeric, numbers), el.vr);
    return;
  }
  if (el.vr === 'AT') {
    const tag = parseTag(value);
    if (tag === null) throw new AnonymizeError('replacement is not a tag for VR AT', pathOf(ctx));
    el.setValue(encodeNumbers(ctx.dataset, 'US', [tag >>> 16, tag & 0xffff]));
    return;
  }
  throw new AnonymizeError(`cannot replace a value of VR ${el.vr} with text`, pathOf(ctx));
}
