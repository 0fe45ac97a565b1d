// buildPlan with the burned-in inputs: --pixel-rules files appended after the rules file's own pixel rules,
// --burned-in and --redacted-syntax override the file's settings, defaults when nothing is given.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlan } from '../../src/config/build.js';
import { ConfigError } from '../../src/config/errors.js';
import { defaultPixelPlan, defaultRiskGate } from '../../src/profiles/burned-in.js';
import { Modality, Rows } from '../../src/dicom/tags.generated.js';

function withDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pixel-build-'));
    try { await fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
  };
}

test('nothing given: the default pixel plan (default gate, quarantine, no rules)', async () => {
  const { plan } = await buildPlan({ referenceDate: '20260101' });
  assert.deepEqual(plan.pixels, defaultPixelPlan());
  assert.deepEqual(plan.pixels.gate, defaultRiskGate());
});

test('flags without a rules file apply to the Basic Profile plan', withDir(async (dir) => {
  const script = join(dir, 'DicomPixelAnonymizer.script');
  writeFileSync(script, 'Our scanner\n{ Modality.equals("US") }\n(0,0,640,40)\n');
  const { plan } = await buildPlan({ burnedIn: 'redact', redactedSyntax: 'native', pixelRuleFiles: [script] });
  assert.deepEqual(plan.profile, { name: 'basic', options: [] });
  assert.equal(plan.pixels.policy, 'redact');
  assert.equal(plan.pixels.redactedSyntax, 'native');
  assert.deepEqual(plan.pixels.gate, defaultRiskGate());
  assert.deepEqual(plan.pixels.rules, [{
    conditions: [{ tag: Modality, op: 'equals', value: 'US' }],
    regions: [{ kind: 'rectangle', units: 'pixels', x: 0, y: 0, width: 640, height: 40 }],
    origin: `${script} line 2`,
  }]);
}));

test('CLI-style inputs override the file; rule files come after the file\'s rules, in order', withDir(async (dir) => {
  const config = join(dir, 'rules.json');
  writeFileSync(config, JSON.stringify({
    pixels: {
      policy: 'fail', redactedSyntax: 'same', gate: { modalities: ['US'] },
      rules: [{ when: [{ tag: 'Rows', equals: '480' }], blank: [{ x: 1, y: 1, width: 1, height: 1 }] }],
    },
  }));
  const script = join(dir, 'a.script');
  writeFileSync(script, '{ Modality.equals("XA") } (0,0,2,2)');
  const recipe = join(dir, 'deid.dicom');
  writeFileSync(recipe, 'FORMAT dicom\n%filter graylist\nLABEL b\n  equals Modality CR\n  ctpcoordinates 0,0,3,3\n');

  const fileOnly = (await buildPlan({ configPath: config })).plan.pixels;
  assert.equal(fileOnly.policy, 'fail');
  assert.equal(fileOnly.redactedSyntax, 'same');
  assert.deepEqual(fileOnly.gate, { ...defaultRiskGate(), modalities: ['US'] });
  assert.deepEqual(fileOnly.rules.map((r) => r.origin), [`${config} pixels.rules[0]`]);

  const { plan } = await buildPlan({ configPath: config, burnedIn: 'keep', redactedSyntax: 'native', pixelRuleFiles: [script, recipe] });
  assert.equal(plan.pixels.policy, 'keep');
  assert.equal(plan.pixels.redactedSyntax, 'native');
  assert.deepEqual(plan.pixels.gate.modalities, ['US']);
  assert.deepEqual(plan.pixels.rules.map((r) => r.origin), [`${config} pixels.rules[0]`, `${script} line 1`, `${recipe} line 3`]);
  assert.deepEqual(plan.pixels.rules[0].conditions, [{ tag: Rows, op: 'equals', value: '480' }]);
  assert.deepEqual(plan.pixels.rules[2].conditions, [{ tag: Modality, op: 'equals', value: 'CR' }]);

  // Only the flags given override: the file's syntax stays when only --burned-in is given.
  const partial = (await buildPlan({ configPath: config, burnedIn: 'redact' })).plan.pixels;
  assert.equal(partial.policy, 'redact');
  assert.equal(partial.redactedSyntax, 'same');
}));

test('the pixel plan of one build is not shared with another', withDir(async (dir) => {
  const script = join(dir, 'a.script');
  writeFileSync(script, '{ Modality.equals("XA") } (0,0,2,2)');
  await buildPlan({ pixelRuleFiles: [script] });
  assert.deepEqual((await buildPlan({})).plan.pixels.rules, []);
}));

test('invalid flags and unreadable or invalid rule files are ConfigErrors', withDir(async (dir) => {
  await assert.rejects(buildPlan({ burnedIn: 'delete' as never }), (e: unknown) => e instanceof ConfigError && e.jsonPath === '--burned-in');
  await assert.rejects(buildPlan({ redactedSyntax: 'jpeg' as never }), (e: unknown) => e instanceof ConfigError && e.jsonPath === '--redacted-syntax');
  const missing = join(dir, 'missing.script');
  await assert.rejects(buildPlan({ pixelRuleFiles: [missing] }), (e: unknown) => e instanceof ConfigError && e.file === missing && /ENOENT/.test(e.reason));
  const bad = join(dir, 'bad.script');
  writeFileSync(bad, 'ok\n\n{ Modality.sortOf("US") } (0,0,1,1)');
  await assert.rejects(buildPlan({ pixelRuleFiles: [bad] }), (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${bad}:3:`));
}));
