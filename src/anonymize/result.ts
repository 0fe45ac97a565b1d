// What the engine hands back for one dataset: the original identity, the facts for the markers, the first half of
// the burned-in step, and the audit line type. Plain data; no values of the file beyond the original identity.

import type { Action } from '../plan/plan.js';
import type { OriginalIdentity, RunFacts } from './context.js';
import type { PendingPixels } from './burned-in/pending.js';

/** One line of the audit: which rule decided what for which element. Never a value. */
export interface AuditEntry {
  path: string;
  keyword: string;
  action: Action['type'];
  origin: string;
}

export interface AnonymizeResult {
  original: OriginalIdentity;
  facts: RunFacts;
  /** The burned-in step's first half, decided on the original dataset: finishPixels completes it. */
  burnedIn: PendingPixels;
  /**
   * A plan without a profile: the tags of plan.profileWouldChange that this file holds (at any depth) and that the
   * plan kept unchanged, ascending. Empty when the plan uses the profile.
   */
  untouchedProfileTags: number[];
}
