// A rules-file rule that names an attribute which makes the file a DICOM instance (profiles/protected.ts) and would
// remove or change it is refused where it is written, with its JSON path and the reason.

import type { Rule } from '../plan/plan.js';
import { keepsInstanceValid } from '../plan/protection.js';
import { PROTECTED_ATTRIBUTES } from '../profiles/protected.js';
import { ConfigError, type JsonPathSegment } from './errors.js';
import { describeSelector } from './selector.js';

const GUARDED = new Map(PROTECTED_ATTRIBUTES.map((p) => [p.tag, p]));

/**
 * Returns `rule` (written at `path` of the rules file) when it leaves the instance valid. Broad rules (groups, masks,
 * VRs) are not refused: the engine leaves those attributes alone and the audit says why.
 */
export function refuseUnmakingRule(rule: Rule, path: readonly JsonPathSegment[]): Rule {
  if (rule.selector.kind !== 'tag') return rule;
  const guard = GUARDED.get(rule.selector.tag);
  if (guard === undefined || keepsInstanceValid(rule.action, guard)) return rule;
  throw new ConfigError(
    `${describeSelector(rule.selector)} cannot be changed by "${rule.action.type}": ${guard.why}; ` +
      `the output would no longer be a valid DICOM instance (use keep${guard.action.type === 'remapUid' ? ' or remapUid' : ''})`,
    path,
  );
}
