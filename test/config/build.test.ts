// buildPlan: the one way from inputs (rules file, options, reference date) to a complete Plan, for the CLI and the
// library alike; the engine executes the plan it is given and never expands a profile itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basicProfilePlan, buildPlan, completePlan } from '../../src/config/build.js';
import { ConfigError } from '../../src/config/errors.js';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { PatientBirthDate, PatientIdentityRemoved, PatientName } from '../../src/dicom/tags.generated.js';
import { anonymizeAndReread, flatten } from '../anonymize/helpers/flatten.js';
import { KEY, makeFile } from '../anonymize/helpers/one-rule.js';

test('no rules file: buildPlan gives the Basic Profile plan, options merged', async () => {
  const { plan } = await buildPlan({ options: ['retainUIDs', 'cleanDescriptors', 'retainUIDs'], referenceDate: '20260101' });
  assert.deepEqual(plan, basicProfilePlan(['retainUIDs', 'cleanDescriptors'], '20260101'));
  await assert.rejects(buildPlan({ options: ['retainUids'] as never }), (e: unknown) => e instanceof ConfigError && e.jsonPath === '--option[0]');
});

test('a rules file plus options: the file\'s rules first, then the profile with both option sets', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'build-plan-'));
  try {
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ profile: { name: 'basic', options: ['retainUIDs'] }, rules: [{ tag: 'PatientName', method: 'replace', value: 'X' }] }));
    const { plan } = await buildPlan({ configPath: file, options: ['cleanDescriptors'], referenceDate: '20260101' });
    assert.deepEqual(plan.profile, { name: 'basic', options: ['retainUIDs', 'cleanDescriptors'] });
    assert.deepEqual(plan.rules[0].action, { type: 'replace', value: 'X' });
    assert.deepEqual(plan.rules.slice(1), basicProfilePlan(['retainUIDs', 'cleanDescriptors']).rules);
    // A Microsoft or simple config without a profile gets one when options are given (as the CLI always did).
    writeFileSync(file, JSON.stringify({ rules: [{ tag: 'PatientName', method: 'replace', value: 'X' }] }));
    const alone = await buildPlan({ configPath: file });
    assert.equal(alone.plan.profile, null);
    assert.equal(alone.plan.markers, null);
    assert.equal(alone.plan.rules.length, 1);
    const withOption = await buildPlan({ configPath: file, options: ['retainUIDs'] });
    assert.deepEqual(withOption.plan.profile, { name: 'basic', options: ['retainUIDs'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the engine executes the plan it is given: a profile named but not expanded does nothing', () => {
  const named = { ...completePlan({ rules: [], profile: null, unmatched: 'keep', dateShift: { scope: 'patient', rangeDays: 50 } }), profile: { name: 'basic' as const, options: [] } };
  const file = makeFile([[PatientName, 'PN', 'DOE^JOHN']]);
  const written = anonymizeAndReread(new Anonymizer(named, KEY), file);
  const out = flatten(written.dataset, written.datasetSource);
  assert.equal(out.get('(0010,0010)')?.value, 'DOE^JOHN');
  assert.equal(out.get('(0012,0062)'), undefined, 'no markers without plan.markers');
  const expanded = anonymizeAndReread(new Anonymizer(basicProfilePlan([]), KEY), makeFile([[PatientName, 'PN', 'DOE^JOHN']]));
  assert.ok(expanded.dataset.get(PatientIdentityRemoved));
});

test('the reference date of partial-date redaction is the plan\'s, one for the whole run', () => {
  const planOn = (referenceDate: string) => completePlan({
    rules: [{ selector: { kind: 'tag', tag: PatientBirthDate }, action: { type: 'redact', partialDates: true, partialAges: false, partialZipCodes: false }, origin: 't' }],
    profile: null, unmatched: 'keep', dateShift: { scope: 'patient', rangeDays: 50 },
  }, referenceDate);
  const birth = (referenceDate: string): string | undefined => {
    const out = anonymizeAndReread(new Anonymizer(planOn(referenceDate), KEY), makeFile([[PatientBirthDate, 'DA', '19360601']]));
    return flatten(out.dataset, out.datasetSource).get('(0010,0030)')?.value;
  };
  assert.equal(birth('20250601'), '19360101', '89 years on the reference date: year kept');
  assert.equal(birth('20250602'), '', 'a day later it is over 89: dropped');
  assert.throws(() => planOn('2025-06-02'), ConfigError);
});
