// D: a non-empty dummy value valid for the VR. A sequence keeps its items, which are walked by the rules.
import type { ActionContext } from '../context.js';
import { encodeNumbers, setString } from '../../dicom/values.js';
import { remapUidValues } from './remap-uid.js';
import { numberTypeOf } from '../../dicom/vr.js';

export const DUMMY_TEXT: Readonly<Record<string, string>> = {
  AE: 'ANONYMOUS', AS: '000Y', CS: 'ANONYMIZED', DA: '19000101', DS: '0', DT: '19000101000000', IS: '0',
  LO: 'ANONYMIZED', LT: 'ANONYMIZED', PN: 'ANONYMIZED', SH: 'ANONYMIZED', ST: 'ANONYMIZED', TM: '000000',
  UC: 'ANONYMIZED', UR: 'https://anonymized.invalid', UT: 'ANONYMIZED',
};

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
