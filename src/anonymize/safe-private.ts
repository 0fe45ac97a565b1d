// Lookup over the plan's safe private attributes (Retain Safe Private Option, PS3.15 E.3.10-1): by group, Private
// Creator and element low byte, never by absolute tag (the block is wherever the creator was reserved).

import type { SafePrivateAttribute } from '../plan/plan.js';

export class SafePrivateIndex {
  private readonly attributes: Map<string, string>;
  private readonly creators: Set<string>;

  constructor(list: readonly SafePrivateAttribute[]) {
    this.attributes = new Map(list.map((a) => [`${a.group}|${a.creator.trim()}|${a.element}`, a.vr]));
    this.creators = new Set(list.map((a) => `${a.group}|${a.creator.trim()}`));
  }

  /** The table's VR of a listed element ("" when the table gives none); undefined when it is not listed. */
  vrOf(group: number, creator: string | null, elementByte: number): string | undefined {
    return creator === null ? undefined : this.attributes.get(`${group}|${creator.trim()}|${elementByte}`);
  }

  isSafe(group: number, creator: string | null, elementByte: number): boolean {
    return this.vrOf(group, creator, elementByte) !== undefined;
  }

  /** Whether a Private Creator element reserving a block for `creator` in `group` may stay. */
  isSafeCreator(group: number, creator: string): boolean {
    return this.creators.has(`${group}|${creator.trim()}`);
  }
}

const INDEXES = new WeakMap<readonly SafePrivateAttribute[], SafePrivateIndex>();

/** One index per list (the plan's list lives as long as the plan). */
export function safePrivateIndex(list: readonly SafePrivateAttribute[]): SafePrivateIndex {
  let index = INDEXES.get(list);
  if (!index) INDEXES.set(list, (index = new SafePrivateIndex(list)));
  return index;
}
