// --pixel-rules readers: CTP DicomPixelAnonymizer.script and pydicom/deid recipe %filter sections, each into the exact
// PixelRule[] expected (sample files written here, in our own words), and every error with its file:line:column.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePixelRules, readPixelRuleFile, detectPixelRuleFormat } from '../../src/config/pixel-rules/index.js';
import { ConfigError } from '../../src/config/errors.js';
import type { AttributeCondition, PixelRegion } from '../../src/plan/plan.js';
import {
  ImageType, Manufacturer, ManufacturerModelName, Modality, Rows, SeriesDescription, SOPClassUID, Columns, BurnedInAnnotation,
} from '../../src/dicom/tags.generated.js';

const px = (x: number, y: number, width: number, height: number): PixelRegion => ({ kind: 'rectangle', units: 'pixels', x, y, width, height });
const eq = (tag: number, value: string): AttributeCondition => ({ tag, op: 'equals', value });

function failsAt(text: string, file: string, line: number, reason: RegExp, column?: number): void {
  assert.throws(() => parsePixelRules(text, file), (e: unknown) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.file, file);
    assert.equal(e.position?.line, line, e.message);
    if (column !== undefined) assert.equal(e.position?.column, column, e.message);
    assert.match(e.reason, reason);
    assert.ok(e.message.startsWith(`${file}:${line}:`), e.message);
    return true;
  });
}

// ---------------------------------------------------------------- CTP

const CTP_SAMPLE = [
  'Rules for our test devices. Text out here is a comment.',
  '',
  'Acme console screens',
  '{ Modality.equals("US") * [0008,0070].containsIgnoreCase("acme") }',
  '  (0,0,640,48)',
  '  (0, 440, 120, 40)',
  '',
  'Two models, any maker',
  '{',
  '  [0008,1090].startsWith("Quux 1") +',
  '  ManufacturerModelName.endsWith("v2.0")',
  '}',
  '(10,10,100,20)',
  '',
  'Every secondary capture that is not a screen save',
  '{ SOPClassUID.equals("1.2.840.10008.5.1.4.1.1.7") * !ImageType.contains("SCREEN SAVE") * SeriesDescription.matches("Dose.*") }',
  '(0,0,512,30)',
  '',
  'Never used { false. } (0,0,1,1)',
  'Always { true. } (5,5,5,5)',
].join('\n');

test('CTP script: signatures into rules, OR and NOT expanded, origin FILE line N', () => {
  const rules = parsePixelRules(CTP_SAMPLE, 'DicomPixelAnonymizer.script');
  const f = 'DicomPixelAnonymizer.script';
  assert.deepEqual(rules, [
    { conditions: [eq(Modality, 'US'), { tag: Manufacturer, op: 'contains', value: 'acme' }], regions: [px(0, 0, 640, 48), px(0, 440, 120, 40)], origin: `${f} line 4` },
    { conditions: [{ tag: ManufacturerModelName, op: 'regex', value: '^Quux 1' }], regions: [px(10, 10, 100, 20)], origin: `${f} line 9` },
    { conditions: [{ tag: ManufacturerModelName, op: 'regex', value: 'v2\\.0$' }], regions: [px(10, 10, 100, 20)], origin: `${f} line 9` },
    {
      conditions: [eq(SOPClassUID, '1.2.840.10008.5.1.4.1.1.7'), { tag: ImageType, op: 'absent' }, { tag: SeriesDescription, op: 'regex', value: '^(?:Dose.*)$' }],
      regions: [px(0, 0, 512, 30)], origin: `${f} line 16`,
    },
    {
      conditions: [eq(SOPClassUID, '1.2.840.10008.5.1.4.1.1.7'), { tag: ImageType, op: 'regex', value: '^(?![\\s\\S]*SCREEN SAVE)' }, { tag: SeriesDescription, op: 'regex', value: '^(?:Dose.*)$' }],
      regions: [px(0, 0, 512, 30)], origin: `${f} line 16`,
    },
    // false. gives no rule; true. a rule with no conditions.
    { conditions: [], regions: [px(5, 5, 5, 5)], origin: `${f} line 20` },
  ]);
});

test('CTP script: precedence + < * < !, parentheses, De Morgan', () => {
  const rules = parsePixelRules('{ Modality.equals("US") + Modality.equals("XA") * !(Rows.equals("480") + Columns.equals("640")) } (0,0,1,1)', 's');
  assert.deepEqual(rules.map((r) => r.conditions), [
    [eq(Modality, 'US')],
    [eq(Modality, 'XA'), { tag: Rows, op: 'absent' }, { tag: Columns, op: 'absent' }],
    [eq(Modality, 'XA'), { tag: Rows, op: 'absent' }, { tag: Columns, op: 'regex', value: '^(?!640$)' }],
    [eq(Modality, 'XA'), { tag: Rows, op: 'regex', value: '^(?!480$)' }, { tag: Columns, op: 'absent' }],
    [eq(Modality, 'XA'), { tag: Rows, op: 'regex', value: '^(?!480$)' }, { tag: Columns, op: 'regex', value: '^(?!640$)' }],
  ]);
  // The negative-lookahead patterns hold exactly when the original test fails.
  const notEq = new RegExp(rules[4].conditions[1].value!, 'i');
  assert.equal(notEq.test('480'), false);
  assert.equal(notEq.test('4800'), true);
  const [notContains] = parsePixelRules('{ !ImageType.contains("SCREEN") } (0,0,1,1)', 's').slice(1);
  const re = new RegExp(notContains.conditions[0].value!, 'i');
  assert.equal(re.test('DERIVED\\SECONDARY\\SCREEN SAVE'), false);
  assert.equal(re.test('ORIGINAL\\PRIMARY'), true);
  const [notRegex] = parsePixelRules('{ !SeriesDescription.matches("dose") } (0,0,1,1)', 's').slice(1);
  const nr = new RegExp(notRegex.conditions[0].value!, 'i');
  assert.equal(nr.test('dose'), false);
  assert.equal(nr.test('dose report'), true);
  // !!x = x, and "!present"-style double negation of absence stays exact.
  assert.deepEqual(parsePixelRules('{ !!Modality.equals("US") } (0,0,1,1)', 's')[0].conditions, [eq(Modality, 'US')]);
});

test('CTP script: unsupported syntax is a ConfigError naming file and line', () => {
  failsAt('x\n{ Modality.isLessThan("3") }\n(0,0,1,1)', 'a.script', 2, /unsupported method "isLessThan"/, 12);
  failsAt('{ SeqOfUltrasoundRegions::RegionLocationMinX0.equals("0") } (0,0,1,1)', 'a.script', 1, /not a DICOM keyword|sequence chains/);
  failsAt('{ [0018,6011]::[0018,6018].equals("0") } (0,0,1,1)', 'a.script', 1, /sequence chains/);
  failsAt('\n\n{ [0009,1001].equals("x") } (0,0,1,1)', 'a.script', 3, /public attribute/);
  failsAt('{ Modalty.equals("US") } (0,0,1,1)', 'a.script', 1, /unknown or unsupported attribute "Modalty"/);
  failsAt('{ Modality.equals(US) } (0,0,1,1)', 'a.script', 1, /quoted string/);
  failsAt('{ Modality.equals("US" } (0,0,1,1)', 'a.script', 1, /"\)"/);
  failsAt('{ Modality.equals("US") Modality.equals("XA") } (0,0,1,1)', 'a.script', 1, /unexpected text/);
  failsAt('{ Modality.equals("US") | Modality.equals("XA") } (0,0,1,1)', 'a.script', 1, /unexpected character "\|"/);
  failsAt('{ SeriesDescription.matches("(") } (0,0,1,1)', 'a.script', 1, /invalid regular expression/);
  failsAt('{ true } (0,0,1,1)', 'a.script', 1, /true\./);
  failsAt('{ }\n(0,0,1,1)', 'a.script', 1, /expected a term/);
  failsAt('one\n{ Modality.equals("US") }\n\ntwo { Modality.equals("XA") } (0,0,1,1)', 'a.script', 2, /at least one region/);
  failsAt('(0,0,1,1) { Modality.equals("US") }', 'a.script', 1, /before any signature/);
  failsAt('{ Modality.equals("US") }\n(0,0,-1,1)', 'a.script', 2, /four whole, non-negative/);
  failsAt('{ Modality.equals("US") }\n(0,0,1)', 'a.script', 2, /\(x,y,w,h\)/);
  failsAt('{ Modality.equals("US") }\n(0,0,0,1)', 'a.script', 2, /at least 1/);
  failsAt('{ Modality.equals("US") (0,0,1,1)', 'a.script', 1, /without its closing "}"/);
  failsAt('{ Modality.equals("US") }\n(0,0,1,1', 'a.script', 2, /without its closing "\)"/);
  failsAt('comment ) here\n{ Modality.equals("US") } (0,0,1,1)', 'a.script', 1, /without its opening/);
});

// ---------------------------------------------------------------- deid

const DEID_SAMPLE = [
  'FORMAT dicom',
  '',
  '%header',
  'REPLACE PatientName nobody',
  'LABEL not a filter here',
  '',
  '%filter graylist',
  '',
  'LABEL Acme scanner top band # our own note',
  '  contains Manufacturer Acme',
  '  + equals Rows 480 || equals Rows 600',
  '  coordinates 0,0,640,40  # xmin,ymin,xmax,ymax',
  '  ctpcoordinates 0,440,120,40',
  '',
  'LABEL Screens without annotation flag',
  '  notequals BurnedInAnnotation NO',
  '  + present ImageType',
  '  coordinates all',
  '',
  'LABEL Empty description',
  '  empty SeriesDescription',
  '  + missing (0008,1090)',
  '  coordinates 10,20,30,40',
  '',
  '%filter whitelist',
  'LABEL Known clean',
  '  equals Modality CT',
].join('\n');

test('deid recipe: %filter labels into rules; deid coordinates are xmin,ymin,xmax,ymax, ctpcoordinates x,y,w,h', () => {
  const f = 'deid.dicom';
  const top = [px(0, 0, 640, 40), px(0, 440, 120, 40)];
  const all: PixelRegion = { kind: 'rectangle', units: 'fraction', x: 0, y: 0, width: 1, height: 1 };
  const missingModel: AttributeCondition = { tag: ManufacturerModelName, op: 'absent' };
  assert.deepEqual(parsePixelRules(DEID_SAMPLE, f), [
    // (contains Acme AND Rows 480) OR Rows 600: left to right, as deid combines them.
    { conditions: [{ tag: Manufacturer, op: 'regex', value: 'Acme' }, eq(Rows, '480')], regions: top, origin: `${f} line 9` },
    { conditions: [eq(Rows, '600')], regions: top, origin: `${f} line 9` },
    { conditions: [{ tag: BurnedInAnnotation, op: 'absent' }, { tag: ImageType, op: 'present' }], regions: [all], origin: `${f} line 15` },
    { conditions: [{ tag: BurnedInAnnotation, op: 'regex', value: '^(?!NO$)' }, { tag: ImageType, op: 'present' }], regions: [all], origin: `${f} line 15` },
    { conditions: [{ tag: SeriesDescription, op: 'absent' }, missingModel], regions: [px(10, 20, 20, 20)], origin: `${f} line 20` },
    { conditions: [{ tag: SeriesDescription, op: 'regex', value: '^\\s*$' }, missingModel], regions: [px(10, 20, 20, 20)], origin: `${f} line 20` },
    // The whitelist label has no coordinates: skipped.
  ]);
});

test('deid recipe: inline operators, a later line without operator is "and", notcontains', () => {
  const text = '%filter graylist\nLABEL x\ncontains Modality US + notcontains ImageType SCREEN\nequals Rows 480\nctpcoordinates 1,2,3,4\n';
  assert.deepEqual(parsePixelRules(text, 'r').map((r) => r.conditions), [
    [{ tag: Modality, op: 'regex', value: 'US' }, { tag: ImageType, op: 'absent' }, eq(Rows, '480')],
    [{ tag: Modality, op: 'regex', value: 'US' }, { tag: ImageType, op: 'regex', value: '^(?![\\s\\S]*(?:SCREEN))' }, eq(Rows, '480')],
  ]);
  // A value may hold "+" and "|" (deid's contains is a regular expression): only an operator before a predicate splits.
  assert.deepEqual(parsePixelRules('%filter graylist\nLABEL y\ncontains ManufacturerModelName LOGIQ|Vivid + E9\ncoordinates 0,0,2,2', 'r')[0].conditions,
    [{ tag: ManufacturerModelName, op: 'regex', value: 'LOGIQ|Vivid + E9' }]);
  // A label with coordinates and no predicate applies to every image.
  assert.deepEqual(parsePixelRules('%filter graylist\nLABEL z\ncoordinates 0,0,2,2', 'r')[0].conditions, []);
});

test('deid recipe: unsupported syntax is a ConfigError naming file and line', () => {
  const g = (lines: string[]): string => ['%filter graylist', 'LABEL one', ...lines].join('\n');
  failsAt('FORMAT nifti\n%filter graylist', 'r.deid', 1, /FORMAT "nifti"/);
  failsAt('%filter\nLABEL a', 'r.deid', 1, /needs a name/);
  failsAt('%filter graylist\ncontains Modality US', 'r.deid', 2, /before any LABEL/);
  failsAt('%filter graylist\nLABEL bare\n%header', 'r.deid', 2, /needs a condition or at least one coordinates/);
  failsAt(g(['keepcoordinates 0,0,10,10']), 'r.deid', 3, /keepcoordinates is not supported/);
  failsAt(g(['coordinates from:SequenceOfUltrasoundRegions']), 'r.deid', 3, /from a field are not supported/);
  failsAt(g(['coordinates 0,0,10,10 20,20,30,30']), 'r.deid', 3, /xmin,ymin,xmax,ymax/);
  failsAt(g(['coordinates 10,0,5,10']), 'r.deid', 3, /xmax > xmin/);
  failsAt(g(['ctpcoordinates 0,0,0,10']), 'r.deid', 3, /at least 1/);
  failsAt(g(['startswith Modality US', 'coordinates 0,0,1,1']), 'r.deid', 3, /unsupported filter line/);
  failsAt(g(['contains Modality', 'coordinates 0,0,1,1']), 'r.deid', 3, /needs a field and a value/);
  failsAt(g(['missing Modality US', 'coordinates 0,0,1,1']), 'r.deid', 3, /only a field name/);
  failsAt(g(['  + equals (0009,0010) US', 'coordinates 0,0,1,1']), 'r.deid', 3, /one public attribute/, 3);
  failsAt(g(['contains SeriesDescription [unclosed', 'coordinates 0,0,1,1']), 'r.deid', 3, /invalid regular expression/);
  failsAt(g(['present private', 'coordinates 0,0,1,1']), 'r.deid', 3, /one public attribute/);
});

// Written for these tests in the shape of deid's default recipe (deid.dicom): whitelist first, graylist labels that
// only flag ("Flags Only"), a misspelt field name, a coordinates line at the margin with a space after a comma, a
// label whose first predicate starts with "+", coordinates between predicates, blacklist labels, a %header section.
const DEID_DEFAULT_SHAPE = [
  'FORMAT dicom',
  '',
  '%filter whitelist',
  '',
  'LABEL Marked clean # a note',
  '  contains BurnedInAnnotation No',
  '',
  '%filter graylist',
  '',
  '# Flags Only',
  '',
  'LABEL Reconstructions without a maker',
  '  missing Manufacturer || empty Manufacturer',
  '  + contains ImageType RECONSTRUCTION|SECONDARY|DERIVED',
  '',
  'LABEL Vendor catch-all',
  '  contains ManufacturerModelName Model 9',
  '  + contains Modality CT',
  '',
  'LABEL Dose screen',
  '  contains Modality CT',
  '  + contains ImageType SCREEN SAVE || contains SeriesDescription Dose',
  '  coordinates 0,0,512,121',
  '',
  'LABEL Render corner',
  '  contains Modality CT',
  '  + contains SeriesDescription 3D',
  'coordinates 450,0,672, 85',
  '',
  'LABEL Misspelt maker',
  '  equals Rows 832',
  '  + contains Manfacturer ACME',
  '  ctpcoordinates 0,0,1024,80',
  '',
  'LABEL Starts with plus',
  '  + contains Manufacturer ACME',
  '  ctpcoordinates 0,0,800,59',
  '  + equals Rows 600',
  '',
  '%filter blacklist',
  '',
  'LABEL Missing Image Type',
  '  missing ImageType || empty ImageType',
  '',
  '%header',
  '',
  'REMOVE endswith:Time',
  'ADD PatientIdentityRemoved YES',
].join('\n');

test("deid recipe: the default recipe's shape loads; graylist labels without coordinates flag files at risk", () => {
  const f = 'deid.dicom';
  const rules = parsePixelRules(DEID_DEFAULT_SHAPE, f);
  const flags = rules.filter((r) => r.flagsRisk);
  assert.deepEqual(flags.map((r) => r.origin), [`${f} line 12`, `${f} line 12`, `${f} line 12`, `${f} line 16`]);
  for (const r of flags) assert.deepEqual(r.regions, []);
  assert.deepEqual(flags[3].conditions, [{ tag: ManufacturerModelName, op: 'regex', value: 'Model 9' }, { tag: Modality, op: 'regex', value: 'CT' }]);
  // The misspelt field holds in no file: its label never matches (contains on an absent attribute), so no rule.
  assert.equal(rules.some((r) => r.origin === `${f} line 30`), false);
  const corner = rules.find((r) => r.origin === `${f} line 25`);
  assert.deepEqual(corner?.regions, [px(450, 0, 222, 85)]);
  const plus = rules.find((r) => r.origin === `${f} line 35`);
  assert.deepEqual(plus?.conditions, [{ tag: Manufacturer, op: 'regex', value: 'ACME' }, eq(Rows, '600')]);
  assert.deepEqual(plus?.regions, [px(0, 0, 800, 59)]);
  // Whitelist and blacklist labels are deid's own triage: nothing of them becomes a rule.
  assert.equal(rules.some((r) => r.origin === `${f} line 5` || r.origin === `${f} line 43`), false);
  // A misspelt field under a negation holds for every file (as in deid).
  assert.deepEqual(parsePixelRules('%filter graylist\nLABEL n\nnotcontains Manfacturer X\ncoordinates 0,0,2,2', 'r')[0].conditions, []);
});

// ---------------------------------------------------------------- files and detection

test('format detection and readPixelRuleFile errors', () => {
  assert.equal(detectPixelRuleFormat(CTP_SAMPLE), 'ctp');
  assert.equal(detectPixelRuleFormat(DEID_SAMPLE), 'deid');
  assert.equal(detectPixelRuleFormat('just words'), null);
  // CTP comments are free text: a line starting with "Label" or "Format" does not make a deid recipe.
  assert.equal(detectPixelRuleFormat('Label: our US rules\nFormat of regions is x,y,w,h\n{ Modality.equals("US") } (0,0,1,1)'), 'ctp');
  assert.equal(detectPixelRuleFormat('FORMAT dicom\n'), 'deid');
  assert.throws(() => parsePixelRules('just words', 'w.txt'), (e: unknown) => e instanceof ConfigError && e.file === 'w.txt' && /not a pixel rule file/.test(e.reason));
  assert.throws(() => parsePixelRules('{"pixels": {"rules": []}}', 'p.json'), (e: unknown) => e instanceof ConfigError && /JSON rules file/.test(e.reason));
  const dir = mkdtempSync(join(tmpdir(), 'pixel-rules-'));
  try {
    assert.throws(() => readPixelRuleFile(join(dir, 'none.script')), (e: unknown) => e instanceof ConfigError && /cannot read the pixel rule file \(ENOENT\)/.test(e.reason));
    const bad = join(dir, 'bad.script');
    writeFileSync(bad, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    assert.throws(() => readPixelRuleFile(bad), (e: unknown) => e instanceof ConfigError && /UTF-8/.test(e.reason));
    const ok = join(dir, 'ok.script');
    writeFileSync(ok, '\ufeff{ Modality.equals("US") } (1,2,3,4)\r\n');
    assert.deepEqual(readPixelRuleFile(ok), [{ conditions: [eq(Modality, 'US')], regions: [px(1, 2, 3, 4)], origin: `${ok} line 1` }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
