import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  basicProfilePlan, DEFAULT_DATE_SHIFT, detectFormat, loadConfigFile, loadConfigBase, parseConfig, parseConfigBase,
} from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { makeTag } from '../../src/dicom/tag.js';
import { MS_CONFIGS_DIR, MS_DEFAULT_CONFIG } from '../helpers/fixtures.js';
import { defaultPixelPlan } from '../../src/profiles/burned-in.js';
import { basicProfileChangedTags } from '../../src/profiles/basic.js';
import { PROTECTED_ATTRIBUTES } from '../../src/profiles/protected.js';

const MS_DIR = MS_CONFIGS_DIR;
const DEFAULT_CONFIG = MS_DEFAULT_CONFIG;

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? jsonFiles(p) : p.endsWith('.json') ? [p] : [];
  });
}

/** Expected outcome per shipped file: rule count, or the JSON path of the ConfigError. */
const EXPECTED: Record<string, { rules: number } | { errorPath: string; reason: RegExp }> = {
  'configuration.json': { rules: 318 },
  'ms-dicom-default-config.json': { rules: 318 },
  'newConfig.json': { rules: 1 },
  'privateTagConfig.json': { rules: 13 },
  'configuration-test-engine.json': { rules: 3 },
  'configuration-test-sample.json': { rules: 2 },
  // "invalid" refers to their validateOutput test: hashing AE/AS/CS/DS/DA is a valid config (the output is not).
  'configuration-invalid-string-output.json': { rules: 6 },
  'configuration-invalid-DicomTag.json': { errorPath: '$.rules[0].tag', reason: /invalid tag "\(0040\)"/ },
  'configuration-invalid-parameters.json': { errorPath: '$.rules[1].params', reason: /must be an object/ },
  'configuration-unsupported-method.json': { errorPath: '$.rules[0].method', reason: /unsupported method "invalid"/ },
  'configuration-miss-rules.json': { errorPath: '$.rules', reason: /missing required key "rules"/ },
  'configuration-miss-tag.json': { errorPath: '$.rules[0].tag', reason: /missing required key "tag"/ },
  // Custom (plug-in) methods are not supported.
  'configuration-custom.json': { errorPath: '$.rules[0].method', reason: /unsupported method "mask"/ },
  // Their CLI test expects this to fail at run time (US cannot be encrypted); we fail at load.
  'invalidOutputConfig.json': { errorPath: '$.rules[0].method', reason: /cannot be applied to VR US/ },
  // A settings-only fragment for their rule-factory tests: no rules, same as configuration-miss-rules.json.
  'settings.json': { errorPath: '$.rules', reason: /missing required key "rules"/ },
};

test('every shipped Microsoft config loads or fails with the right JSON path', () => {
  const files = [...jsonFiles(MS_DIR), DEFAULT_CONFIG];
  assert.equal(files.length, 15);
  for (const file of files) {
    const want = EXPECTED[basename(file)];
    assert.ok(want, `no expectation for ${file}`);
    if ('rules' in want) {
      const { base: plan, format } = loadConfigBase(file);
      assert.equal(format, 'microsoft', file);
      assert.equal(plan.rules.length, want.rules, file);
      assert.equal(plan.profile, null);
      assert.equal(plan.unmatched, 'keep');
    } else {
      assert.throws(
        () => loadConfigFile(file),
        (e: unknown) => {
          assert.ok(e instanceof ConfigError, String(e));
          assert.equal(e.jsonPath, want.errorPath, `${file}: ${e.message}`);
          assert.match(e.reason, want.reason);
          assert.equal(e.file, file);
          assert.ok(e.message.includes(want.errorPath));
          assert.ok(e.position !== undefined, 'position of the offending value');
          return true;
        },
        file,
      );
    }
  }
});

test('the annotated sample (Markdown code block with // comments and dead keys) loads, with warnings', () => {
  const md = readFileSync(join(MS_DIR, 'DICOM/Sample-Configuration-WithNote.md'), 'utf8');
  const json = /```json\n([\s\S]*?)```/.exec(md)?.[1];
  assert.ok(json);
  const { base: plan, format, warnings } = parseConfigBase(json, 'sample');
  assert.equal(format, 'microsoft');
  assert.equal(plan.rules.length, 319); // the annotated copy has one more rule: (3008,0105) remove
  assert.equal(plan.profile, null, 'the Microsoft "profile" array is ignored');
  const paths = warnings.map((w) => w.jsonPath);
  assert.ok(paths.includes('$.profile'));
  assert.ok(paths.includes('$.defaultSettings.perturb.distribution'));
  assert.ok(paths.includes('$.defaultSettings.cryptoHash.cryptoHashFunction'));
});

test('default config: the shape of the plan', () => {
  const plan = loadConfigFile(DEFAULT_CONFIG);
  assert.deepEqual(plan.dateShift, { scope: 'series', rangeDays: 50 });
  assert.deepEqual(plan.rules[0], { selector: { kind: 'tag', tag: makeTag(0x0008, 0x0050) }, action: { type: 'redact', partialDates: false, partialAges: false, partialZipCodes: false }, origin: 'config.rules[0]' });
  const counts: Record<string, number> = {};
  for (const r of plan.rules) counts[r.action.type] = (counts[r.action.type] ?? 0) + 1;
  assert.deepEqual(counts, { remove: 250, redact: 20, remapUid: 36, keep: 5, shiftDate: 3, hash: 2, replace: 2 } as Record<string, number>);
  const contentDate = plan.rules.find((r) => r.selector.kind === 'tag' && r.selector.tag === makeTag(0x0008, 0x0023));
  assert.deepEqual(contentDate?.action, { type: 'shiftDate', key: '123', scope: 'series', rangeDays: 50, shiftTime: false, offsetFormula: 'microsoft' });
  const curve = plan.rules.find((r) => r.selector.kind === 'mask');
  assert.deepEqual(curve?.selector, { kind: 'mask', value: 0x50000000, mask: 0xff000000 });
  assert.ok(plan.rules.some((r) => r.selector.kind === 'vr' && r.selector.vr === 'DA'));
});

test('MS-8 fixed: params do not leak into later rules (default config (300A,0002) → "ANONY", (0040,A027) → "ANONYMOUS")', () => {
  const plan = loadConfigFile(DEFAULT_CONFIG);
  const find = (g: number, e: number) => plan.rules.find((r) => r.selector.kind === 'tag' && r.selector.tag === makeTag(g, e));
  const rtPlanLabel = find(0x300a, 0x0002);
  const verifyingOrg = find(0x0040, 0xa027);
  assert.deepEqual(rtPlanLabel?.action, { type: 'replace', value: 'ANONY' });
  assert.ok(plan.rules.indexOf(verifyingOrg!) > plan.rules.indexOf(rtPlanLabel!));
  assert.deepEqual(verifyingOrg?.action, { type: 'replace', value: 'ANONYMOUS' });
});

test('BOM, comments and trailing commas', () => {
  const text = '\uFEFF{\n  // a comment\n  "rules": [\n    /* block */ {"tag": "(0010,0010)", "method": "remove",},\n  ],\n}\n';
  const plan = parseConfig(text);
  assert.deepEqual(plan.rules, [{ selector: { kind: 'tag', tag: makeTag(0x10, 0x10) }, action: { type: 'remove' }, origin: 'config.rules[0]' }]);
});

test('JSON syntax errors report line:column and the path', () => {
  const text = '{\n  "rules": [\n    {"tag": "(0010,0010)" "method": "remove"}\n  ]\n}';
  assert.throws(
    () => parseConfig(text, 'bad.json'),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.position, { line: 3, column: 27 });
      assert.match(e.message, /^bad\.json:3:27: \$\.rules\[0\]/);
      assert.match(e.message, /JSON syntax error/);
      return true;
    },
  );
  assert.throws(() => parseConfig(''), (e: unknown) => e instanceof ConfigError && e.jsonPath === '$' && /syntax/.test(e.message));
  assert.throws(() => parseConfig('[1,2]'), (e: unknown) => e instanceof ConfigError && /must be a JSON object/.test(e.message));
});

test('unknown keys are errors naming their path (top level, rule, lists)', () => {
  const cases: [string, string][] = [
    ['{"rules":[], "rulez":[]}', '$.rulez'],
    ['{"rules":[{"tag":"PatientName","method":"remove","comment":"x"}]}', '$.rules[0].comment'],
    ['{"rules":[{"tag":"PatientName","method":"redact","settings":{"a":1}}],"defaultSettings":{}}', '$.rules[0].settings'],
    ['{"keepTags":["PatientID"],"dropTags":["PatientName"]}', '$.dropTags'],
    ['{"profile":{"name":"basic","option":[]}}', '$.profile.option'],
    ['{"rules":[{"tag":"PatientName","method":"redact"}],"defaultSettings":{"redact":{"enablePartialDates":true}}}', '$.defaultSettings.redact.enablePartialDates'],
    ['{"rules":[{"tag":"PatientName","method":"redact"}],"defaultSettings":{"mask":{}}}', '$.defaultSettings.mask'],
  ];
  for (const [text, path] of cases) {
    assert.throws(() => parseConfig(text), (e: unknown) => e instanceof ConfigError && e.jsonPath === path && e.message.includes(path), text);
  }
  assert.throws(() => parseConfig('{"rules":[{"tag":"PatientName","method":"remove","settings":1}]}'), /did you mean "setting"/);
});

test('duplicate keys are errors', () => {
  assert.throws(
    () => parseConfig('{"rules":[{"tag":"PatientName","method":"remove","method":"keep"}]}'),
    (e: unknown) => e instanceof ConfigError && e.jsonPath === '$.rules[0].method' && /duplicate key/.test(e.reason) && e.position?.column === 50,
  );
});

test('"__proto__" keys are rejected', () => {
  assert.throws(
    () => parseConfig('{"rules":[{"tag":"PatientAge","method":"substitute","params":{"__proto__":{"replaceWith":"x"}}}]}'),
    (e: unknown) => e instanceof ConfigError && e.jsonPath === '$.rules[0].params.__proto__',
  );
});

test('format detection', () => {
  const d = (text: string) => detectFormat(JSON.parse(text) as Record<string, unknown>);
  assert.equal(d('{"rules":[{"tag":"DA","method":"dateshift"}],"defaultSettings":{}}'), 'microsoft');
  assert.equal(d('{"rules":[{"tag":"DA","method":"redact"}]}'), 'microsoft');
  assert.equal(d('{"rules":[{"tag":"DA","method":"keep"},{"tag":"PN","method":"substitute"}]}'), 'microsoft');
  assert.equal(d('{"rules":[{"tag":"DA","method":"remove","params":{}}]}'), 'microsoft');
  assert.equal(d('{"rules":[{"tag":"PN","method":"replace","value":"x"}]}'), 'simple-rules');
  assert.equal(d('{"rules":[{"tag":"PN","method":"remove"}]}'), 'simple-rules');
  assert.equal(d('{"rules":[]}'), 'simple-rules');
  assert.equal(d('{"keepTags":[]}'), 'simple-lists');
  assert.equal(d('{"removeAllPrivateTags":true}'), 'simple-lists');
  assert.equal(d('{"profile":"basic"}'), 'profile');
  assert.equal(d('{"profile":["MINIMAL_KEEP_LIST_PROFILE"],"rules":[]}'), 'microsoft');
  assert.throws(() => d('{}'), (e: unknown) => e instanceof ConfigError && e.jsonPath === '$');
  assert.throws(
    () => d('{"rules":[{"tag":"PN","method":"hash"},{"tag":"DA","method":"remove"},{"tag":"SH","method":"cryptoHash"}]}'),
    (e: unknown) => e instanceof ConfigError && e.jsonPath === '$.rules[2].method' && /one format per file/.test(e.reason),
  );
  assert.throws(() => d('{"keepTags":[],"rules":[]}'), (e: unknown) => e instanceof ConfigError && e.jsonPath === '$.rules');
});

test('empty rules: a plan that changes nothing', () => {
  const plan = parseConfig('{"rules": []}');
  assert.deepEqual(plan, {
    rules: [], profile: null, unmatched: 'keep', dateShift: { ...DEFAULT_DATE_SHIFT }, referenceDate: plan.referenceDate,
    markers: null, safePrivate: null, structuredContent: null, pixels: defaultPixelPlan(), protected: PROTECTED_ATTRIBUTES,
    profileWouldChange: basicProfileChangedTags(),
  });
  assert.match(plan.referenceDate, /^\d{8}$/);
});

test('profile key: string, object, combined with rules (rules first)', () => {
  assert.deepEqual(parseConfig('{"profile":"basic"}').profile, { name: 'basic', options: [] });
  assert.deepEqual(parseConfig('{"profile":{"name":"basic"}}').profile, { name: 'basic', options: [] });
  const plan = parseConfig('{"profile":{"name":"basic","options":["retainUIDs","cleanDescriptors","retainUIDs"]},"rules":[{"tag":"PatientID","method":"hash"}]}');
  assert.deepEqual(plan.profile, { name: 'basic', options: ['retainUIDs', 'cleanDescriptors'] });
  assert.equal(plan.rules[0].action.type, 'hash', "the config's own rules come first");
  assert.equal(plan.rules.length, 1 + basicProfilePlan(['retainUIDs', 'cleanDescriptors']).rules.length, 'then the profile rules');
  assert.equal(plan.unmatched, 'keep');
  const ms = parseConfig('{"profile":"basic","rules":[{"tag":"PatientID","method":"cryptoHash"}],"defaultSettings":{"cryptoHash":{"cryptoHashKey":"k"}}}');
  assert.deepEqual(ms.profile, { name: 'basic', options: [] });
  assert.deepEqual(ms.rules[0].action, { type: 'hash', key: 'k' });
  const lists = parseConfig('{"profile":"basic","keepTags":["PatientAge"]}');
  assert.deepEqual(lists.profile, { name: 'basic', options: [] });
  assert.equal(parseConfigBase('{"profile":"basic","keepTags":["PatientAge"]}').base.rules.length, 1);
  assert.throws(() => parseConfig('{"profile":"advanced"}'), (e: unknown) => e instanceof ConfigError && e.jsonPath === '$.profile');
  assert.throws(() => parseConfig('{"profile":{"name":"basic","options":["retainUids"]}}'), (e: unknown) => e instanceof ConfigError && e.jsonPath === '$.profile.options[0]');
  // A Microsoft-format config with our profile but no rules is fine.
  assert.deepEqual(parseConfigBase('{"profile":"basic","defaultSettings":{}}').base.rules, []);
});

test('basicProfilePlan', () => {
  const plan = basicProfilePlan(['retainUIDs'], '20261201');
  assert.deepEqual(plan.profile, { name: 'basic', options: ['retainUIDs'] });
  assert.equal(plan.referenceDate, '20261201');
  assert.equal(plan.unmatched, 'keep');
  assert.deepEqual(plan.dateShift, { ...DEFAULT_DATE_SHIFT });
  assert.ok(plan.rules.length > 600, 'the profile is expanded into plan rules');
  assert.deepEqual(plan.markers?.codes.map((c) => c.codeValue), ['113100', '113110']);
  assert.equal(plan.safePrivate, null);
});

test('loadConfigFile: missing file, UTF-16, invalid UTF-8', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  assert.throws(() => loadConfigFile(join(dir, 'missing.json')), (e: unknown) => e instanceof ConfigError && /ENOENT/.test(e.message) && e.jsonPath === '$');
  const utf16 = join(dir, 'u16.json');
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"rules":[]}', 'utf16le')]));
  assert.throws(() => loadConfigFile(utf16), /UTF-16/);
  const latin1 = join(dir, 'l1.json');
  writeFileSync(latin1, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]));
  assert.throws(() => loadConfigFile(latin1), /not valid UTF-8/);
  const ok = join(dir, 'ok.json');
  writeFileSync(ok, '\uFEFF{"rules":[{"tag":"(0010,0010)","method":"remove"}]}');
  assert.equal(loadConfigFile(ok).rules.length, 1);
});

test('errors never contain key values', () => {
  const secret = 'my-very-secret-k'; // 16 bytes: valid AES key
  const cases = [
    `{"rules":[{"tag":"PatientName","method":"encrypt"}],"defaultSettings":{"encrypt":{"encryptKey":"${secret}X"}}}`,
    `{"rules":[{"tag":"SQ","method":"cryptoHash"}],"defaultSettings":{"cryptoHash":{"cryptoHashKey":"${secret}"}}}`,
    `{"rules":[{"tag":"PatientName","method":"dateShift","params":{"dateShiftKey":"${secret}","dateShiftRange":"x"}}],"defaultSettings":{}}`,
    `{"rules":[{"tag":"PatientName","method":"hash","key":"${secret}"},{"tag":"X","method":"keep"}]}`,
    `{"rules":[{"tag":"PatientName","method":"hash","key":"${secret}"}], "x": 1}`,
  ];
  for (const text of cases) {
    assert.throws(
      () => parseConfig(text, 'c.json'),
      (e: unknown) => e instanceof ConfigError && !e.message.includes(secret) && !e.reason.includes(secret),
      text,
    );
  }
});

test('profile dateShift: scope and days set the profile shift; bad values name their JSON path', () => {
  const plan = parseConfig('{"profile": {"name": "basic", "options": ["retainLongitudinalModifiedDates"], "dateShift": {"scope": "study", "days": 10}}}');
  assert.deepEqual(plan.dateShift, { scope: 'study', rangeDays: 10 });
  assert.deepEqual(parseConfig('{"profile": "basic"}').dateShift, { scope: 'patient', rangeDays: 50 });
  assert.throws(() => parseConfig('{"profile": {"name": "basic", "dateShift": {"scope": "hospital"}}}'), (e: unknown) => e instanceof ConfigError && e.jsonPath.startsWith('$.profile'));
  assert.throws(() => parseConfig('{"profile": {"name": "basic", "dateShift": {"days": 0}}}'), (e: unknown) => e instanceof ConfigError && e.jsonPath.startsWith('$.profile'));
});
