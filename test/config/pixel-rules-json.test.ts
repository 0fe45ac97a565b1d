// Our JSON pixel rules: the "pixels" key of a rules file, parsed into plan.pixels; every error with its JSON path
// and line:column.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, parseConfigBase } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { defaultPixelPlan, defaultRiskGate, defaultTextDetection } from '../../src/profiles/burned-in.js';
import { starterPixelRules } from '../../src/profiles/pixel-rules-starter.js';
import { basicProfilePlan } from '../../src/config/build.js';
import {
  ImageType, Manufacturer, ManufacturerModelName, Modality, Rows, SequenceOfUltrasoundRegions, SeriesDescription,
} from '../../src/dicom/tags.generated.js';
import { throwsAt } from './helpers.js';

const px = (pixels: unknown, extra: Record<string, unknown> = {}): string => JSON.stringify({ ...extra, pixels });

test('the example of the issue is parsed into the exact PixelPlan', () => {
  const plan = parseConfig(px({
    policy: 'redact',
    redactedSyntax: 'native',
    gate: { modalities: ['us', 'XA'], imageTypes: [['DERIVED', 'SECONDARY']] },
    rules: [{
      when: [
        { tag: 'Manufacturer', equals: 'ACME' }, { tag: '(0008,1090)', contains: 'Vivid' }, { tag: 'Rows', equals: 480 },
        { tag: 'SeriesDescription', regex: '^DOSE' }, { tag: '00186011', present: true }, { tag: 'ImageType', absent: true },
      ],
      blank: [{ x: 0, y: 0, width: 640, height: 40 }, { x: 0, y: 0, width: 1, height: 0.08, units: 'fraction' }, 'outsideUltrasoundRegions'],
      frames: [2, 0, 2],
    }],
  }, { profile: 'basic' }), 'site.json');
  assert.deepEqual(plan.pixels, {
    policy: 'redact',
    detection: defaultTextDetection(),
    redactedSyntax: 'native',
    gate: { ...defaultRiskGate(), modalities: ['US', 'XA'], imageTypes: [['DERIVED', 'SECONDARY']] },
    rules: [{
      conditions: [
        { tag: Manufacturer, op: 'equals', value: 'ACME' }, { tag: ManufacturerModelName, op: 'contains', value: 'Vivid' },
        { tag: Rows, op: 'equals', value: '480' }, { tag: SeriesDescription, op: 'regex', value: '^DOSE' },
        { tag: SequenceOfUltrasoundRegions, op: 'present' }, { tag: ImageType, op: 'absent' },
      ],
      regions: [
        { kind: 'rectangle', units: 'pixels', x: 0, y: 0, width: 640, height: 40 },
        { kind: 'rectangle', units: 'fraction', x: 0, y: 0, width: 1, height: 0.08 },
        { kind: 'outsideUltrasoundRegions' },
      ],
      frames: [0, 2],
      origin: 'site.json pixels.rules[0]',
    }],
  });
});

test('no "pixels" key: the default pixel plan (default gate, no rules, quarantine, same syntax)', () => {
  const plan = parseConfig('{"profile":"basic"}');
  assert.deepEqual(plan.pixels, defaultPixelPlan());
  assert.deepEqual(parseConfig(px({})).pixels, defaultPixelPlan());
  // A gate with some lists given keeps the default of the others.
  const gate = parseConfig(px({ gate: { sopClasses: ['1.2.3'] } })).pixels.gate;
  assert.deepEqual(gate, { ...defaultRiskGate(), sopClasses: ['1.2.3'] });
  assert.deepEqual(parseConfig(px({ gate: { modalities: [] } })).pixels.gate.modalities, []);
  const switched = parseConfig(px({ gate: { missingImageType: false, waveforms: false, descriptions: ['^dose$'] } })).pixels.gate;
  assert.deepEqual(switched, { ...defaultRiskGate(), missingImageType: false, waveforms: false, descriptions: ['^dose$'] });
});

test('a file with only "pixels" means the Basic Profile plus those pixel settings', () => {
  const loaded = parseConfigBase(px({ policy: 'fail' }));
  assert.equal(loaded.format, 'profile');
  const plan = parseConfig(px({ policy: 'fail' }), 'p.json');
  const basic = basicProfilePlan([], plan.referenceDate);
  assert.deepEqual(plan.profile, { name: 'basic', options: [] });
  assert.deepEqual(plan.rules, basic.rules);
  assert.deepEqual(plan.markers, basic.markers);
  assert.equal(plan.pixels.policy, 'fail');
});

test('"pixels" combines with every format; the metadata rules are unchanged', () => {
  const simple = parseConfig(px({ policy: 'keep' }, { rules: [{ tag: 'PatientName', method: 'replace', value: 'X' }] }));
  assert.equal(simple.profile, null);
  assert.equal(simple.rules.length, 1);
  assert.equal(simple.pixels.policy, 'keep');
  const lists = parseConfig(px({ policy: 'keep' }, { removeTags: ['PatientName'] }));
  assert.equal(lists.pixels.policy, 'keep');
  const ms = parseConfig(px({ policy: 'redact' }, { rules: [{ tag: 'PatientName', method: 'redact' }], defaultSettings: {} }));
  assert.equal(ms.pixels.policy, 'redact');
  assert.equal(ms.profile, null);
});

test('the starter set is opt-in', () => {
  assert.deepEqual(parseConfig(px({})).pixels.rules, []);
  const plan = parseConfig(px({ starter: true, rules: [{ when: [{ tag: 'Modality', equals: 'US' }], blank: [{ x: 0, y: 0, width: 1, height: 1 }] }] }), 'a.json');
  assert.equal(plan.pixels.rules.length, 1 + starterPixelRules().length);
  assert.equal(plan.pixels.rules[0].origin, 'a.json pixels.rules[0]');
  assert.deepEqual(plan.pixels.rules.slice(1), starterPixelRules());
  // The starter rules are specific: every one has conditions, the ultrasound one needs the regions sequence.
  for (const rule of starterPixelRules()) {
    assert.ok(rule.conditions.length >= 2, rule.origin);
    assert.ok(rule.origin.startsWith('starter: '));
  }
  assert.deepEqual(starterPixelRules()[0].conditions, [
    { tag: Modality, op: 'equals', value: 'US' }, { tag: SequenceOfUltrasoundRegions, op: 'present' },
  ]);
  for (const rule of starterPixelRules()) {
    for (const c of rule.conditions) if (c.op === 'regex') new RegExp(c.value!, 'i');
  }
});

test('every error names its JSON path (and the loader adds line:column)', () => {
  const rule = (r: Record<string, unknown>): string => px({ rules: [{ when: [{ tag: 'Modality', equals: 'US' }], blank: [{ x: 0, y: 0, width: 1, height: 1 }], ...r }] });
  throwsAt(px([]), '$.pixels', /must be an object/);
  throwsAt(px({ polcy: 'keep' }), '$.pixels.polcy', /unknown key/);
  throwsAt(px({ policy: 'delete' }), '$.pixels.policy', /quarantine, redact, fail, keep/);
  throwsAt(px({ redactedSyntax: 'jpeg' }), '$.pixels.redactedSyntax', /same, native/);
  throwsAt(px({ starter: 'yes' }), '$.pixels.starter', /true or false/);
  throwsAt(px({ gate: { modalities: 'US' } }), '$.pixels.gate.modalities', /array/);
  throwsAt(px({ gate: { modalities: [''] } }), '$.pixels.gate.modalities[0]', /empty/);
  throwsAt(px({ gate: { descriptions: ['(unclosed'] } }), '$.pixels.gate.descriptions[0]', /regular expression/);
  throwsAt(px({ gate: { waveforms: 'no' } }), '$.pixels.gate.waveforms', /true or false/);
  throwsAt(px({ gate: { sopClasses: ['1.2.x'] } }), '$.pixels.gate.sopClasses[0]', /UID/);
  throwsAt(px({ gate: { imageTypes: ['DERIVED'] } }), '$.pixels.gate.imageTypes[0]', /array/);
  throwsAt(px({ gate: { imageTypes: [[]] } }), '$.pixels.gate.imageTypes[0]', /at least one/);
  throwsAt(px({ gate: { ages: [] } }), '$.pixels.gate.ages', /unknown key/);
  throwsAt(px({ rules: {} }), '$.pixels.rules', /array/);
  throwsAt(px({ rules: [{ blank: [{ x: 0, y: 0, width: 1, height: 1 }] }] }), '$.pixels.rules[0].when', /missing required key "when"/);
  throwsAt(rule({ blank: [] }), '$.pixels.rules[0].blank', /at least one region/);
  throwsAt(rule({ blank: undefined }).replace(',"blank":undefined', ''), '$.pixels.rules[0].blank', /missing|at least one/);
  throwsAt(rule({ frames: [] }), '$.pixels.rules[0].frames', /must not be empty/);
  throwsAt(rule({ frames: [-1] }), '$.pixels.rules[0].frames[0]', /from 0/);
  throwsAt(rule({ frames: [1.5] }), '$.pixels.rules[0].frames[0]', /whole/);
  throwsAt(rule({ colour: 1 }), '$.pixels.rules[0].colour', /unknown key/);
  throwsAt(rule({ when: [{ tag: 'Modality' }] }), '$.pixels.rules[0].when[0]', /exactly one of/);
  throwsAt(rule({ when: [{ tag: 'Modality', equals: 'US', contains: 'U' }] }), '$.pixels.rules[0].when[0]', /equals and contains/);
  throwsAt(rule({ when: [{ equals: 'US' }] }), '$.pixels.rules[0].when[0].tag', /missing required key "tag"/);
  throwsAt(rule({ when: [{ tag: 'Modalty', equals: 'US' }] }), '$.pixels.rules[0].when[0].tag', /not a DICOM keyword/);
  throwsAt(rule({ when: [{ tag: '(0008,xxxx)', equals: 'US' }] }), '$.pixels.rules[0].when[0].tag', /one public attribute/);
  throwsAt(rule({ when: [{ tag: '(0009,1001)', equals: 'US' }] }), '$.pixels.rules[0].when[0].tag', /one public attribute/);
  throwsAt(rule({ when: [{ tag: 'PN', equals: 'US' }] }), '$.pixels.rules[0].when[0].tag', /one public attribute/);
  throwsAt(rule({ when: [{ tag: 'SeriesDescription', regex: '(unclosed' }] }), '$.pixels.rules[0].when[0].regex', /invalid regular expression/);
  throwsAt(rule({ when: [{ tag: 'Modality', present: false }] }), '$.pixels.rules[0].when[0].present', /must be true/);
  throwsAt(rule({ when: [{ tag: 'Modality', equals: ['US'] }] }), '$.pixels.rules[0].when[0].equals', /string or a number/);
  throwsAt(rule({ when: [{ tag: 'Modality', matches: 'US' }] }), '$.pixels.rules[0].when[0].matches', /unknown key/);
  throwsAt(rule({ blank: ['insideUltrasoundRegions'] }), '$.pixels.rules[0].blank[0]', /outsideUltrasoundRegions/);
  throwsAt(rule({ blank: [7] }), '$.pixels.rules[0].blank[0]', /a region must be/);
  throwsAt(rule({ blank: [{ x: -1, y: 0, width: 1, height: 1 }] }), '$.pixels.rules[0].blank[0].x', /negative/);
  throwsAt(rule({ blank: [{ x: 0, y: 0, width: 0, height: 1 }] }), '$.pixels.rules[0].blank[0].width', /greater than 0/);
  throwsAt(rule({ blank: [{ x: 0.5, y: 0, width: 1, height: 1 }] }), '$.pixels.rules[0].blank[0].x', /whole number/);
  throwsAt(rule({ blank: [{ x: 0, y: 0, width: 1, height: 1.5, units: 'fraction' }] }), '$.pixels.rules[0].blank[0].height', /within 0..1/);
  throwsAt(rule({ blank: [{ x: 0.5, y: 0, width: 0.6, height: 1, units: 'fraction' }] }), '$.pixels.rules[0].blank[0].width', /x \+ width/);
  throwsAt(rule({ blank: [{ x: 0, y: 0.9, width: 1, height: 0.2, units: 'fraction' }] }), '$.pixels.rules[0].blank[0].height', /y \+ height/);
  throwsAt(rule({ blank: [{ x: 0, y: 0, width: 1, height: 1, units: 'percent' }] }), '$.pixels.rules[0].blank[0].units', /pixels" or "fraction/);
  throwsAt(rule({ blank: [{ x: 0, y: 0, width: 1 }] }), '$.pixels.rules[0].blank[0].height', /number/);

  const text = '{\n  "pixels": {\n    "rules": [\n      {"when": [], "blank": [{"x": 0, "y": -3, "width": 1, "height": 1}]}\n    ]\n  }\n}';
  assert.throws(() => parseConfig(text, 'site.json'), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.jsonPath, '$.pixels.rules[0].blank[0].y');
    assert.deepEqual(e.position, { line: 4, column: 39 });
    assert.match(e.message, /^site\.json:4:39: \$\.pixels\.rules\[0\]\.blank\[0\]\.y: /);
    return true;
  });
});

test('"when": [] is accepted: a rule for every image the burned-in step looks at', () => {
  const plan = parseConfig(px({ rules: [{ when: [], blank: ['outsideUltrasoundRegions'] }] }));
  assert.deepEqual(plan.pixels.rules[0].conditions, []);
  assert.equal(plan.pixels.rules[0].frames, undefined);
});

test('"detection" sets the threshold, margin and keep-list; each key left out keeps its default; errors name the path', () => {
  const plan = parseConfig(px({ detection: { minScore: 0.6, keepWords: ['r', 'Upright', 'R'] } }), 'site.json');
  assert.deepEqual(plan.pixels.detection, { ...defaultTextDetection(), minScore: 0.6, keepWords: ['R', 'UPRIGHT'] });
  assert.deepEqual(parseConfig(px({ detection: { margin: 0 } }), 'site.json').pixels.detection, { ...defaultTextDetection(), margin: 0 });
  assert.deepEqual(parseConfig(px({ detection: { keepWords: [] } }), 'site.json').pixels.detection.keepWords, [], 'an empty keep-list keeps nothing');
  throwsAt(px({ detection: [] }), '$.pixels.detection', /must be an object/);
  throwsAt(px({ detection: { minScore: 0 } }), '$.pixels.detection.minScore', /at least 0.05/);
  throwsAt(px({ detection: { margin: 1.5 } }), '$.pixels.detection.margin', /whole number/);
  throwsAt(px({ detection: { margin: -1 } }), '$.pixels.detection.margin', /negative/);
  throwsAt(px({ detection: { keepWords: ['AP PA'] } }), '$.pixels.detection.keepWords[0]', /letters or digits/);
  throwsAt(px({ detection: { keepMinTextScore: 2 } }), '$.pixels.detection.keepMinTextScore', /0\.\.1/);
  throwsAt(px({ detection: { keep: ['R'] } }), '$.pixels.detection.keep', /unknown key/);
});
