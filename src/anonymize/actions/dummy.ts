// D: a non-empty dummy value valid for the VR. A sequence keeps its items, which are walked by the rules.
import type { ActionContext } from '../context.js';
import { encodeNumbers, setString } from '../../dicom/values.js';
import { remapUidValues } from './remap-uid.js';
import { numberTypeOf } from '../../dicom/vr.js';
import { DUMMY_TEXT } from '../../plan/generic-values.js';

export { DUMMY_TEXT };

/** Returns 'walk' for sequences so the engine descends into their items. */
export function dummyElement(ctx: ActionContext, value?: string): 'walk' | void {
  const el = ctx.element;
  if (el.items !== null) return 'walk';
  if (el.vr === 'UI') return remapUidValues(ctx);
  const text = value ?? DUMMY_TEXT[el.vr];
  if (text !== undefined) {
    setString(ctx.dataset, el, text);
    return;
  }
  if (numberTypeOf(el.vr) === el.vr) {
    el.setValue(encodeNumbers(ctx.dataset, el.vr, [0]));
    return;
  }
  if (el.vr === 'AT') {
    el.setValue(new Uint8Array(4));
    return;
  }
  // OB, OW, OF, OD, OL, OV, UN and encapsulated data: two zero bytes.
  el.setValue(new Uint8Array(2), el.fragments !== null ? 'OB' : el.vr);
}
