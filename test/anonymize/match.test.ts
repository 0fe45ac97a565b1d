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
