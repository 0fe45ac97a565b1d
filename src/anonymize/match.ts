// First-match rule lookup: exact-tag rules through a map, the other selectors scanned in order, so a rule's
// position in the plan (not its specificity) decides, as in the Microsoft format. What a tag alone decides is worked
// out once per tag (tagCandidates): this runs for every element of every file.

import type { DataElement, DataSet } from '../dicom/dataset.js';
import { isPrivateTag } from '../dicom/tag.js';
import type { Rule, Selector } from '../plan/plan.js';
import { selectorMatches } from '../plan/selector.js';

export { selectorMatches } from '../plan/selector.js';

const isScoped = (rule: Rule): boolean => rule.scope !== undefined;

/**
 * Whether `rule` applies to an element of `dataset`, an item of the sequence `within` (null: the top level). A rule
 * conditioned on attributes present (`ifPresent`) never applies when the dataset is not known.
 */
function inScope(rule: Rule, within: number | null, dataset: DataSet | undefined): boolean {
  if (rule.scope === undefined) return true;
  const { nested, within: sequences, ifPresent } = rule.scope;
  if (nested !== undefined && nested !== (within !== null)) return false;
  if (ifPresent !== undefined && (dataset === undefined || !ifPresent.some((tag) => dataset.get(tag) !== undefined))) return false;
  return sequences === undefined || (within !== null && sequences.includes(within));
}

/** Whether the tag alone decides if `selector` selects an element (no VR, private creator or scope to look at). */
function decidedByTag(selector: Selector): boolean {
  return selector.kind === 'tag' || selector.kind === 'mask' || selector.kind === 'group' ||
    (selector.kind === 'private' && selector.creator === null && selector.elementByte === null);
}

/**
 * The scanned rules that may select an element with this tag, in plan order, up to its exact-tag rule: those the tag
 * alone rules out are dropped, and `certain` marks those the tag alone makes match (no VR, creator or scope left).
 */
interface TagCandidates {
  exact: number;
  indices: number[];
  certain: boolean[];
}

/** Distinct tags remembered at most (a file of many private blocks must not grow the memo without end). */
const MAX_MEMO_TAGS = 65_536;

export class RuleMatcher {
  private readonly byTag = new Map<number, number>();
  private readonly scanned: Array<[number, Selector]> = [];
  private readonly memo = new Map<number, TagCandidates>();

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
  match(element: DataElement, within: number | null = null, dataset?: DataSet): Rule | undefined {
    const first = this.firstMatch(element, within, false, dataset);
    if (first === undefined || first.selector.kind !== 'vr' || !isPrivateTag(element.tag)) return first;
    return this.firstMatch(element, within, true, dataset) ?? first;
  }

  private firstMatch(element: DataElement, within: number | null, skipVR: boolean, dataset: DataSet | undefined): Rule | undefined {
    const { exact, indices, certain } = this.tagCandidates(element);
    for (let k = 0; k < indices.length; k++) {
      const rule = this.rules[indices[k]];
      if (certain[k]) return rule;
      if (skipVR && rule.selector.kind === 'vr') continue;
      if (!selectorMatches(rule.selector, element)) continue;
      if (inScope(rule, within, dataset)) return rule;
    }
    return exact === Infinity ? undefined : this.rules[exact];
  }

  /** The scanned rules worth testing for `element`'s tag (see TagCandidates), memoized per tag. */
  private tagCandidates(element: DataElement): TagCandidates {
    const tag = element.tag;
    let found = this.memo.get(tag);
    if (found !== undefined) return found;
    const exact = this.byTag.get(tag) ?? Infinity;
    found = { exact, indices: [], certain: [] };
    for (const [index, selector] of this.scanned) {
      if (index > exact) break;
      const byTag = decidedByTag(selector);
      // Private selectors: whether the tag is private (a creator or not), its group and element byte are facts of
      // the tag; only the creator string is left to look at on the element.
      if (byTag || selector.kind === 'private') {
        const probe = { tag, vr: '', privateCreator: selector.kind === 'private' ? selector.creator : null } as DataElement;
        if (!selectorMatches(selector, probe)) continue;
      }
      found.indices.push(index);
      found.certain.push(byTag && !isScoped(this.rules[index]));
    }
    if (this.memo.size >= MAX_MEMO_TAGS) this.memo.clear();
    this.memo.set(tag, found);
    return found;
  }
}
