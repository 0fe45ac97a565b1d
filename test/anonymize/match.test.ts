// Rule matching: first match wins, except that a VR rule does not capture a private element that a later rule
// names by tag, mask, group or private identity (Microsoft's default config, MS-28).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { DataElement } from '../../src/dicom/dataset.js';
import { makeTag } from '../../src/dicom/tag.js';
import { parseConfig } from '../../src/config/load.js';
import type { Rule, Selector } from '../../src/plan/plan.js';
import { RuleMatcher, selectorMatches } from '../../src/anonymize/match.js';
import { MS_DEFAULT_CONFIG } from '../helpers/fixtures.js';

const rule = (selector: Selector, type: 'keep' | 'remove' = 'keep', origin = ''): Rule => ({ selector, action: { type }, origin });

test('Microsoft default config: a private DA element is removed, not date-shifted and kept (MS-28)', () => {
  const plan = parseConfig(readFileSync(MS_DEFAULT_CONFIG, 'utf8'));
  const matcher = new RuleMatcher(plan.rules);
  const privateDate = new DataElement(makeTag(0x0009, 0x1001), 'DA');
  assert.equal(matcher.match(privateDate)?.action.type, 'remove');
  const publicDate = new DataElement(makeTag(0x0008, 0x0012), 'DA'); // InstanceCreationDate: no rule of its own
  assert.equal(matcher.match(publicDate)?.action.type, 'shiftDate', 'public dates still follow the DA rule');
});

test('a VR rule still applies to a private element that no other rule names', () => {
  const matcher = new RuleMatcher([rule({ kind: 'vr', vr: 'PN' }, 'remove', 'pn')]);
  assert.equal(matcher.match(new DataElement(makeTag(0x0011, 0x1010), 'PN'))?.origin, 'pn');
});

test('first match wins: for any rule order, match() returns the lowest-index matching rule (public elements)', () => {
  const selectorArb: fc.Arbitrary<Selector> = fc.oneof(
    fc.record({ kind: fc.constant('tag' as const), tag: fc.constantFrom(0x00100010, 0x00100020, 0x00080020) }),
    fc.record({ kind: fc.constant('group' as const), group: fc.constantFrom(0x0010, 0x0008) }),
    fc.record({ kind: fc.constant('vr' as const), vr: fc.constantFrom('PN', 'LO', 'DA' as const) }),
    fc.constant<Selector>({ kind: 'mask', value: 0x00100000, mask: 0xffff0000 }),
  );
  const elementArb = fc.constantFrom(
    new DataElement(0x00100010, 'PN'), new DataElement(0x00100020, 'LO'), new DataElement(0x00080020, 'DA'), new DataElement(0x00080080, 'LO'),
  );
  fc.assert(
    fc.property(fc.array(selectorArb, { maxLength: 12 }), elementArb, (selectors, element) => {
      const rules = selectors.map((s, i) => rule(s, 'keep', String(i)));
      const expected = rules.find((r) => selectorMatches(r.selector, element));
      assert.equal(new RuleMatcher(rules).match(element), expected);
    }),
    { seed: 7, numRuns: 500 },
  );
});

test('the per-tag memo changes nothing: the same element with another VR, creator or scope gets its own rule', () => {
  // One plan, one tag seen first under one VR / creator / nesting and then under others: the memo keeps per tag only
  // what the tag decides, so the answer must equal the plain first-match scan each time.
  const tags = [makeTag(0x0009, 0x0010), makeTag(0x0009, 0x1001), makeTag(0x0010, 0x0010), makeTag(0x5000, 0x3000), makeTag(0x0008, 0x0020)];
  const selector = fc.oneof(
    fc.constantFrom(...tags).map((tag): Selector => ({ kind: 'tag', tag })),
    fc.constant<Selector>({ kind: 'mask', value: 0x50000000, mask: 0xff000000 }),
    fc.constantFrom('PN', 'DA', 'LO', 'UN').map((vr): Selector => ({ kind: 'vr', vr: vr as 'PN' })),
    fc.constantFrom(0x0009, 0x0010, 0x0008).map((group): Selector => ({ kind: 'group', group })),
    fc.record({
      group: fc.constantFrom(null, 0x0009, 0x0011), creator: fc.constantFrom(null, 'ACME', 'OTHER'), elementByte: fc.constantFrom(null, 0x01, 0x02),
    }).map((p): Selector => ({ kind: 'private', ...p })),
  );
  const scope = fc.option(fc.record({ nested: fc.option(fc.boolean(), { nil: undefined }) }), { nil: undefined });
  const plan = fc.array(fc.record({ selector, scope }), { minLength: 1, maxLength: 12 })
    .map((rs) => rs.map((r, i): Rule => ({ selector: r.selector, action: { type: 'keep' }, origin: `r${i}`, ...(r.scope ? { scope: r.scope } : {}) })));
  const element = fc.record({ tag: fc.constantFrom(...tags), vr: fc.constantFrom('PN', 'DA', 'LO', 'UN'), creator: fc.constantFrom(null, 'ACME', 'OTHER'), nested: fc.boolean() });
  /** The first-match scan, with the VR exception for private elements, without any memo. */
  const scan = (rules: Rule[], el: DataElement, within: number | null): Rule | undefined => {
    const inScope = (r: Rule): boolean => r.scope?.nested === undefined || r.scope.nested === (within !== null);
    const first = (skipVR: boolean): Rule | undefined =>
      rules.find((r) => !(skipVR && r.selector.kind === 'vr') && selectorMatches(r.selector, el) && inScope(r));
    const hit = first(false);
    if (hit === undefined || hit.selector.kind !== 'vr' || (el.tag >>> 16) % 2 === 0) return hit;
    return first(true) ?? hit;
  };
  fc.assert(fc.property(plan, fc.array(element, { minLength: 1, maxLength: 20 }), (rules, elements) => {
    const matcher = new RuleMatcher(rules);
    for (const e of elements) {
      const el = new DataElement(e.tag, e.vr);
      el.privateCreator = (e.tag & 0xffff) >= 0x1000 ? e.creator : null;
      const within = e.nested ? makeTag(0x0008, 0x1115) : null;
      assert.equal(matcher.match(el, within)?.origin, scan(rules, el, within)?.origin);
    }
  }), { numRuns: 500 });
});
