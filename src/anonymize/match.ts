// First-match rule lookup: exact-tag rules through a map, the other selectors scanned in order, so a rule's
// position in the plan (not its specificity) decides, as in the Microsoft format.

import type { DataElement } from '../dicom/dataset.js';
import { isPrivateTag } from '../dicom/tag.js';
import type { Rule, Selector } from '../plan/plan.js';
import { selectorMatches } from '../plan/selector.js';

export { selectorMatches } from '../plan/selector.js';

const isScoped = (rule: Rule): boolean => rule.scope !== undefined;

/** Whether `rule` applies to an element whose dataset is an item of the sequence `within` (null: the top level). */
function inScope(rule: Rule, within: number | null): boolean {
  if (rule.scope === undefined) return true;
  const { nested, within: sequences } = rule.scope;
  if (nested !== undefined && nested !== (within !== null)) return false;
  return sequences === undefined || (within !== null && sequences.includes(within));
}

export class RuleMatcher {
  private readonly byTag = new Map<number, number>();
  private readonly scanned: Array<[number, Selector]> = [];

  constructor(readonly rules: readonly Rule[]) {
    rules.forEach((rule, index) => {
      if (rule.selector.kind === 'tag' && !isScoped(rule)) {
        if (!this.byTag.has(rule.selector.tag)) this.byTag.set(rule.selector.tag, index);
      } else {
        this.scanned.push([index, rule.selector]);
      }
    });
  }

  /**
   * The first rule that selects `element`, whose dataset is an item of the sequence with tag `within` (null at the
   * top level), or undefined.
   * One exception to "first match wins": a private element whose first match is a VR rule goes to the first rule
   * that names it by tag, mask, group or private identity, when there is one. Its VR says nothing about what a
   * vendor stored there, and a config that removes odd groups after its DA/DT rules (Microsoft's default, MS-28)
   * means to remove private dates, not to shift and keep them.
   */
  match(element: DataElement, within: number | null = null): Rule | undefined {
    const first = this.firstMatch(element, within, false);
    if (first === undefined || first.selector.kind !== 'vr' || !isPrivateTag(element.tag)) return first;
    return this.firstMatch(element, within, true) ?? first;
  }

  private firstMatch(element: DataElement, within: number | null, skipVR: boolean): Rule | undefined {
    const exact = this.byTag.get(element.tag) ?? Infinity;
    for (const [index, selector] of this.scanned) {
      if (index > exact) break;
      if (skipVR && selector.kind === 'vr') continue;
      if (!selectorMatches(selector, element)) continue;
      if (inScope(this.rules[index], within)) return this.rules[index];
    }
    return exact === Infinity ? undefined : this.rules[exact];
  }
}
