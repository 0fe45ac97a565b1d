// Rules that break files: a rules file whose removals break the IOD of an input (Type 1 and Type 2 attributes of the
// modules its SOP class requires) is warned about per attribute, and refused under --strict-rules; dciodvfy agrees.
// And the untouched-attributes warning lists the direct identifiers first.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlan } from '../../src/config/build.js';
import { runBatch } from '../../src/batch/run.js';
import { iodBreakWarning } from '../../src/batch/iod-check.js';
import { untouchedByRules, untouchedWarning } from '../../src/batch/untouched.js';
import { UsageError } from '../../src/files/usage-error.js';
import { requiredAttributes } from '../../src/profiles/iod-requirements.js';
import { AccessionNumber, ImageType, PatientBirthDate, PatientName, SOPInstanceUID, StudyDate } from '../../src/dicom/tags.generated.js';
import { runTool, skipUnlessTools } from '../helpers/tools.js';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');
const SECRET = { kind: 'text', text: 'iod-rules-test-key-0123456789' } as const;
const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2';

test('the table: a CT image requires Image Type (Type 1, CT Image module) and Patient Birth Date (Type 2, Patient module)', () => {
  const required = requiredAttributes(CT_IMAGE)!;
  assert.deepEqual(required.find((r) => r.tag === ImageType), { tag: ImageType, type: '1', module: 'CT Image', iod: 'CT Image' });
  assert.deepEqual(required.find((r) => r.tag === PatientBirthDate), { tag: PatientBirthDate, type: '2', module: 'Patient', iod: 'CT Image' });
  assert.equal(requiredAttributes('1.2.3.4'), null);
});

test('a rules file removing Image Type warns per attribute (dciodvfy finds the same error); --strict-rules refuses it', { skip: skipUnlessTools('dciodvfy') }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'dicomanon-iod-'));
  try {
    const rules = join(work, 'rules.json');
    writeFileSync(rules, JSON.stringify({ rules: [
      { tag: '(0008,0008)', method: 'remove' }, { tag: '(0010,0030)', method: 'remove' }, { tag: '(0010,0010)', method: 'hash' },
    ] }));
    const { plan } = await buildPlan({ configPath: rules });
    const base = { input: EXAMPLES, recursive: true, plan, secret: SECRET, jobs: 1, log: () => {} };
    const summary = await runBatch({ ...base, output: join(work, 'out') });
    assert.equal(summary.ok, 5);
    const byKeyword = new Map(summary.iodBreaks.map((b) => [b.keyword, b]));
    assert.deepEqual([...byKeyword.keys()], ['ImageType', 'PatientBirthDate']);
    assert.deepEqual(byKeyword.get('ImageType'), {
      tag: '(0008,0008)', keyword: 'ImageType', type: '1', files: 5,
      requiredBy: ['CT Image module of the CT Image IOD', 'MR Image module of the MR Image IOD'],
    });
    assert.match(iodBreakWarning(byKeyword.get('PatientBirthDate')!), /^the rules remove PatientBirthDate \(0010,0030\), Type 2 in the Patient module of the CT Image IOD, .* in 5 file\(s\): those outputs break their IOD/);
    // The independent check: dciodvfy reports exactly these as missing required attributes.
    const v = await runTool('dciodvfy', ['-new', join(work, 'out', 'ct', 'slice-001.dcm')], { codes: [0, 1], output: /^CTImage$/m });
    assert.match(v.stderr + v.stdout, /Error - <\/ImageType\(0008,0008\)> - Missing attribute for Type 1 Required/);
    assert.match(v.stderr + v.stdout, /Error - <\/PatientBirthDate\(0010,0030\)> - Missing attribute for Type 2 Required/);

    // The default profile keeps every IOD whole on the same files: no warning.
    const profiled = await runBatch({ ...base, plan: (await buildPlan({})).plan, output: join(work, 'out-profile') });
    assert.deepEqual(profiled.iodBreaks, []);

    await assert.rejects(runBatch({ ...base, output: join(work, 'out-strict'), strictRules: true }), (e: unknown) =>
      e instanceof UsageError && /--strict-rules: .*|the rules would break the IOD/.test(e.message));
    const keepsProfile = join(work, 'rules-profile.json');
    writeFileSync(keepsProfile, JSON.stringify({ profile: { name: 'basic' }, rules: [{ tag: '(0008,0008)', method: 'remove' }] }));
    await assert.rejects(runBatch({ ...base, plan: (await buildPlan({ configPath: keepsProfile })).plan, output: join(work, 'out-strict2'), strictRules: true }),
      (e: unknown) => e instanceof UsageError && /the rules would break the IOD of the inputs: ImageType \(0008,0008\) \(Type 1\) in 5 file\(s\); nothing was written/.test(e.message));
    assert.ok(!existsSync(join(work, 'out-strict2')));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('the untouched-attributes warning lists direct identifiers (name, IDs, birth date, accession...) before the rest', () => {
  const u = untouchedByRules(new Map([[SOPInstanceUID, 3], [StudyDate, 3], [AccessionNumber, 3], [PatientBirthDate, 3], [PatientName, 1]]))!;
  assert.deepEqual(u.attributes.map((a) => a.keyword), ['PatientName', 'PatientBirthDate', 'AccessionNumber', 'SOPInstanceUID', 'StudyDate']);
  assert.match(untouchedWarning(u), /untouched: PatientName \(0010,0010\) in 1 file\(s\), PatientBirthDate/);
});
