// U: each UID value replaced by 2.25.<keyed HMAC>; standard UIDs (SOP classes, transfer syntaxes, ...) kept, so
// the same UID maps the same way in every file, run and worker.
import type { ActionContext } from '../context.js';
import { AnonymizeError, pathOf } from '../context.js';
import { getStrings, setString } from '../../dicom/values.js';
import { isStandardUid } from '../../dicom/uid-registry.js';

export function remapUidValues(ctx: ActionContext): 'walk' | void {
  const el = ctx.element;
  if (el.items !== null) return 'walk';
  if (el.vr !== 'UI') throw new AnonymizeError(`a UID remap applies to UI, not ${el.vr}`, pathOf(ctx));
  const values = getStrings(ctx.dataset, el, ctx.source);
  if (values.length === 0) return;
  const mapped = values.map((uid) => {
    if (uid === '' || isStandardUid(uid)) return uid;
    const fresh = ctx.keys.uid(uid);
    ctx.facts.uidMap.set(uid, fresh);
    return fresh;
  });
  setString(ctx.dataset, el, mapped.join('\\'));
}
