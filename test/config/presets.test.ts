// Named presets (issue 14): --preset tcia is the Basic Profile with The Cancer Imaging Archive's options, their CID 7050
// codes in the markers, and Clean Pixel Data as the redact policy; 113101 only where the pixels were cleaned.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Anonymizer } from '../../src/anonymize/anonymizer.js';
import { Keys } from '../../src/anonymize/keys.js';
import { buildPlan } from '../../src/config/build.js';
import { ConfigError } from '../../src/config/errors.js';
import { readDicomFile, type DicomFile } from '../../src/dicom/part10.js';
import { getString } from '../../src/dicom/values.js';
import { PRESETS } from '../../src/profiles/presets.js';
import { CodeValue, DeidentificationMethodCodeSequence, Modality, LongitudinalTemporalInformationModified } from '../../src/dicom/tags.generated.js';
import { makeImage, SOP, TEXT_BOX } from '../anonymize/burned-in-helpers.js';
import { run } from '../helpers/corpus.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KEYS = Keys.fromSecret('presets-test-key-0123456789abcdef');
/** CID 7050: Basic, Clean Descriptors, Modified Dates, Patient Characteristics, Device Identity, Safe Private. */
const TCIA_CODES = ['113100', '113105', '113107', '113108', '113109', '113111'];

const codes = (file: DicomFile): string[] =>
  (file.dataset.get(DeidentificationMethodCodeSequence)?.items ?? []).map((item) => getString(item, item.get(CodeValue)!, file.datasetSource));

test('tcia: the Basic Profile with its five options, redact as the burned-in policy, one table of data', async () => {
  const { plan } = await buildPlan({ preset: 'tcia' });
  assert.deepEqual([...plan.profile!.options].sort(), ['cleanDescriptors', 'retainDeviceIdentity', 'retainLongitudinalModifiedDates', 'retainPatientCharacteristics', 'retainSafePrivate']);
  assert.equal(plan.pixels.policy, 'redact');
  assert.deepEqual(plan.markers!.codes.map((c) => c.codeValue).sort(), TCIA_CODES);
  assert.ok(plan.safePrivate !== null, 'Retain Safe Private');
  assert.equal(plan.markers!.temporal, 'MODIFIED-IF-SHIFTED');
  // The flags win over a preset's policy; --option adds to it.
  const flagged = (await buildPlan({ preset: 'tcia', burnedIn: 'fail', options: ['cleanGraphics'] })).plan;
  assert.equal(flagged.pixels.policy, 'fail');
  assert.ok(flagged.profile!.options.includes('cleanGraphics') && flagged.profile!.options.includes('retainSafePrivate'));
  await assert.rejects(buildPlan({ preset: 'nope' }), (e: unknown) => e instanceof ConfigError && e.jsonPath === '--preset' && /tcia/.test(e.message));
  for (const p of PRESETS) assert.ok(p.summary.length > 0 && p.options.length > 0, p.name);
});

test('tcia over a rules file without a profile: the file\'s rules first, then the profile', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'presets-'));
  try {
    const config = join(dir, 'rules.json');
    writeFileSync(config, '{"rules": [{"tag": "(0010,0010)", "method": "replace", "value": "TRAINING_CASE"}]}');
    const { plan } = await buildPlan({ preset: 'tcia', configPath: config });
    assert.equal(plan.rules[0].origin, 'config.rules[0]');
    assert.ok(plan.profile !== null && plan.profileWouldChange === null);
    assert.equal(plan.pixels.policy, 'redact');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tcia markers: the six codes on an image not at risk (no 113101), 113101 added once a pixel rule cleaned an ultrasound', async () => {
  const { plan } = await buildPlan({ preset: 'tcia' });
  const ct = readDicomFile(join(REPO, 'examples', 'ct', 'slice-001.dcm'));
  try {
    const anonymizer = new Anonymizer(plan, KEYS);
    const result = anonymizer.anonymizeFile(ct);
    assert.equal((await anonymizer.finishPixels(ct, result)).status, 'not-at-risk');
    assert.deepEqual(codes(ct).sort(), TCIA_CODES);
    const temporal = ct.dataset.get(LongitudinalTemporalInformationModified)!;
    assert.equal(getString(ct.dataset, temporal, ct.datasetSource), 'MODIFIED', 'dates shifted, not removed');
  } finally {
    ct.close();
  }
  const withRule = { ...plan, pixels: { ...plan.pixels, rules: [{ conditions: [{ tag: Modality, op: 'equals' as const, value: 'US' }], regions: [{ kind: 'rectangle' as const, units: 'pixels' as const, ...TEXT_BOX }], origin: 'test' }] } };
  const us = makeImage({ modality: 'US', sopClass: SOP.us, n: 90, burnedIn: 'YES' });
  try {
    const anonymizer = new Anonymizer(withRule, KEYS);
    const result = anonymizer.anonymizeFile(us);
    assert.equal((await anonymizer.finishPixels(us, result)).status, 'redacted');
    assert.deepEqual(codes(us).sort(), [...TCIA_CODES, '113101'].sort());
  } finally {
    us.close();
  }
});

test('--help lists the presets and what each turns on', async () => {
  const r = await run(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), 'anonymize', '--help'], 60_000);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /--preset <name>/);
  assert.match(r.stdout, /tcia: The Cancer Imaging Archive.*Clean Pixel Data.*Retain Safe Private; options cleanDescriptors/);
});
