// The action table: each Action type of the plan to the module that runs it (one module per action).

import type { Action } from '../../plan/plan.js';
import type { ActionContext } from '../context.js';
import { cleanElement } from './clean.js';
import { dummyElement } from './dummy.js';
import { emptyElement } from './empty.js';
import { encryptValue } from './encrypt.js';
import { hashValue } from './hash.js';
import { perturbValue } from './perturb.js';
import { pseudonymize } from './pseudonym.js';
import { redactValue } from './redact.js';
import { remapUidValues } from './remap-uid.js';
import { removeElement } from './remove.js';
import { replaceValue } from './replace.js';
import { shiftDates } from './shift-date.js';

/** Runs one action; returns 'walk' when the engine should descend into the element's items. */
export function applyAction(ctx: ActionContext, action: Action): 'walk' | void {
  switch (action.type) {
    case 'keep': return;
    case 'remove': return removeElement(ctx);
    case 'empty': return emptyElement(ctx);
    case 'dummy': return dummyElement(ctx, action.value);
    case 'remapUid': return remapUidValues(ctx);
    case 'pseudonym': return pseudonymize(ctx, action.prefix);
    case 'shiftDate': return shiftDates(ctx, action);
    case 'replace': return replaceValue(ctx, action.value);
    case 'hash': return hashValue(ctx, action.key);
    case 'redact': return ctx.element.items !== null ? emptyElement(ctx) : redactValue(ctx, action);
    case 'encrypt': return encryptValue(ctx, action.key);
    case 'perturb': return perturbValue(ctx, action);
    case 'clean': return cleanElement(ctx, action.what);
  }
}
