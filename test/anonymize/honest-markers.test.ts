// Honest markers (issue #22 item 6): a rule that keeps an attribute identifying the patient makes Patient Identity
// Removed (0012,0062) NO, and the audit says which rule kept what.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Anonymizer, type AuditEntry } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { basicProfilePlan } from '../../src/config/complete.js';
import { getString } from '../../src/dicom/values.js';
import { PatientBirthDate, PatientIdentityRemoved, PatientName } from '../../src/dicom/tags.generated.js';
import type { Rule } from '../../src/plan/plan.js';
import { makeFile } from './helpers/one-rule.js';

const identityRemoved = (keep: Rule[]): { marker: string | undefined; audit: AuditEntry[] } => {
  const base = basicProfilePlan([]);
  const engine = new Anonymizer({ ...base, rules: [...keep, ...base.rules] }, Keys.fromSecret('honest-markers-key-0123456789'));
  const file = makeFile([[PatientName, 'PN', 'Quinlan^Odalys'], [PatientBirthDate, 'DA', '19580712']]);
  const audit: AuditEntry[] = [];
  engine.anonymizeFile(file, (e) => audit.push(e));
  const el = file.dataset.get(PatientIdentityRemoved);
  return { marker: el ? getString(file.dataset, el) : undefined, audit };
};

test('the profile alone: Patient Identity Removed YES', () => {
  assert.equal(identityRemoved([]).marker, 'YES');
});

test('a rule keeping Patient Name or Birth Date: NO, and an audit line naming the rule and the attribute', () => {
  for (const [tag, keyword] of [[PatientName, 'PatientName'], [PatientBirthDate, 'PatientBirthDate']] as const) {
    const { marker, audit } = identityRemoved([{ selector: { kind: 'tag', tag }, action: { type: 'keep' }, origin: 'rules.json rules[0]' }]);
    assert.equal(marker, 'NO', keyword);
    const line = audit.find((e) => e.keyword === keyword && /identifies the patient/.test(e.origin));
    assert.ok(line, `audit line for ${keyword}`);
    assert.match(line.origin, /^rules\.json rules\[0\]/);
  }
});
