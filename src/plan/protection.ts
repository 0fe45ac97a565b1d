// Whether an action leaves a protected attribute (plan.protected) usable: the one test the plan builder (to refuse
// explicit rules) and the engine (to override broad ones) share.

import type { Action, ProtectedAttribute } from './plan.js';

/** Kept; or, for a UID the guard remaps, remapped or hashed under the run key (which gives a valid new UID). */
export function keepsInstanceValid(action: Action, guard: ProtectedAttribute): boolean {
  if (action.type === 'keep') return true;
  const uid = guard.action.type === 'remapUid';
  return uid && (action.type === 'remapUid' || (action.type === 'hash' && action.key === undefined));
}
