// First-match rule lookup: exact-tag rules through a map, the other selectors scanned in order, so a rule's
// position in the plan (not its specificity) decides, as in the Microsoft format.

import type { DataElement } from '../dicom/dataset.js';
import { isPrivateCreatorTag, isPrivateTag, tagElement, tagGroup } from '../dicom/tag.js';
import type { Rule, Selector } from '../config/plan.js';

export function selectorMatches(selector: Selector, element: DataElement): boolean {
  const tag = element.tag;
  switch (selector.kind) {
    case 'tag':
      return tag === selector.tag;
    case 'mask':
      return ((tag & selector.mask) >>> 0) === selector.value >>> 0;
    case 'vr':
      return element.vr === selector.vr;
    case 'group':
      return tagGroup(tag) === selector.group;
    case 'private': {
      if (!isPrivateTag(tag)) return false;
      if (selector.group !== null && tagGroup(tag) !== selector.group) return false;
      if (selector.creator === null && selector.elementByte === null) return true;
      if (isPrivateCreatorTag(tag)) return false; // creator elements are matched only by "every private" selectors
      if (selector.creator !== null && (element.privateCreator ?? '').trim() !== selector.creator.trim()) return false;
      if (selector.elementByte !== null && (tagElement(tag) & 0xff) !== selector.elementByte) return false;
      return true;
    }
  }
}

/**
 * A rule that applies only at the top level of the dataset (`nested: false`), only inside sequence items
 * (`nested: true`), or only inside the items of given sequences (`within`: the sequence elements' tags). Plans from
 * config files never carry these; the PS3.15 profile uses them where the table's compound code must resolve
 * differently by context (an attribute Type 3 at the top level but Type 2 inside the items of one sequence).
 */
export interface ScopedRule extends Rule {
  nested?: boolean;
  within?: readonly number[];
}

const isScoped = (rule: Rule): boolean => (rule as ScopedRule).nested !== undefined || (rule as ScopedRule).within !== undefined;

/** Whether `rule` applies to an element whose dataset is an item of the sequence `within` (null: the top level). */
function inScope(rule: Rule, within: number | null): boolean {
  const { nested, within: sequences } = rule as ScopedRule;
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
