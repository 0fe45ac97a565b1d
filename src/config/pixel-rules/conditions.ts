// Shared by the pixel rule readers: one public tag from its text, and boolean predicates (AND, OR, NOT) → PixelRule
// conditions. A PixelRule holds a conjunction (every condition must hold), so a predicate with OR or NOT is rewritten
// into disjunctive normal form and each conjunction becomes its own rule with the same regions. NOT is pushed down to
// the leaves and expressed with the existing operators, so the engine needs nothing beyond AttributeCondition:
//   not present        → absent             not absent → present
//   not equals/contains/regex X → two alternatives: absent, or a regex that holds when X does not (negative lookahead)
// (a missing attribute does not equal, contain or match anything, so its negation holds, as in CTP).

import type { AttributeCondition } from '../../plan/plan.js';
import type { Tag } from '../../dicom/tag.js';
import { isPrivateTag } from '../../dicom/tag.js';
import { ConfigError, quote, type ConfigPlace } from '../errors.js';
import { parseSelector } from '../selector.js';

/** The one public tag `text` names (keyword, (gggg,eeee), gggg,eeee, ggggeeee); anything else is a ConfigError. */
export function publicTag(text: string, where: ConfigPlace): Tag {
  const selector = parseSelector(text, where);
  if (selector.kind !== 'tag' || isPrivateTag(selector.tag)) {
    throw new ConfigError(`${quote(text)} must name one public attribute (a keyword or (gggg,eeee)), not a pattern or private tag`, where);
  }
  return selector.tag;
}

/** Compiles a pattern as the engine will (flag i); invalid → ConfigError. */
export function checkRegex(pattern: string, where: ConfigPlace): void {
  try {
    new RegExp(pattern, 'i');
  } catch (e) {
    throw new ConfigError(`invalid regular expression ${quote(pattern)}: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`, where);
  }
}

export const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export type Predicate =
  | { kind: 'leaf'; condition: AttributeCondition }
  | { kind: 'and' | 'or'; items: Predicate[] }
  | { kind: 'not'; item: Predicate }
  | { kind: 'const'; value: boolean };

/** Most conjunctions one predicate may expand into (guards against exponential expansion). */
export const MAX_CONJUNCTIONS = 64;

/** The regex that holds exactly when `c` (equals, contains or regex, on a present attribute) does not. */
function negatedPattern(c: AttributeCondition): string {
  const v = c.value ?? '';
  switch (c.op) {
    case 'equals': return `^(?!${escapeRegex(v)}$)`;
    case 'contains': return `^(?![\\s\\S]*${escapeRegex(v)})`;
    default: return `^(?![\\s\\S]*(?:${v}))`;
  }
}

/** Disjunctive normal form: a list of conjunctions; [] = never holds, [[]] = always holds. */
export function toConjunctions(p: Predicate, where: ConfigPlace, negate = false): AttributeCondition[][] {
  const limit = (out: AttributeCondition[][]): AttributeCondition[][] => {
    if (out.length > MAX_CONJUNCTIONS) {
      throw new ConfigError(`the condition expands into more than ${MAX_CONJUNCTIONS} alternatives; split it into several rules`, where);
    }
    return out;
  };
  switch (p.kind) {
    case 'const': return (p.value !== negate) ? [[]] : [];
    case 'not': return toConjunctions(p.item, where, !negate);
    case 'leaf': {
      const c = p.condition;
      if (!negate) return [[c]];
      if (c.op === 'present') return [[{ tag: c.tag, op: 'absent' }]];
      if (c.op === 'absent') return [[{ tag: c.tag, op: 'present' }]];
      return [[{ tag: c.tag, op: 'absent' }], [{ tag: c.tag, op: 'regex', value: negatedPattern(c) }]];
    }
    case 'and':
    case 'or': {
      // De Morgan: not(and) = or(not), not(or) = and(not).
      const conjunctive = (p.kind === 'and') !== negate;
      const parts = p.items.map((item) => toConjunctions(item, where, negate));
      if (!conjunctive) return limit(parts.flat());
      let acc: AttributeCondition[][] = [[]];
      for (const part of parts) {
        const next: AttributeCondition[][] = [];
        for (const a of acc) for (const b of part) next.push([...a, ...b]);
        acc = limit(next);
      }
      return acc;
    }
  }
}
