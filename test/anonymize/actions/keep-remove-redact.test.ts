// keep, remove and redact (Microsoft semantics, plain and partial) through the engine, written and read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTag } from '../../../src/dicom/tag.js';
import type { Action, Plan, Rule } from '../../../src/plan/plan.js';
import type { VR } from '../../../src/dicom/vr.js';
import type { DicomFile } from '../../../src/dicom/part10.js';
import { Anonymizer } from '../../../src/anonymize/anonymizer.js';
import { anonymizeAndReread } from '../helpers/flatten.js';
import { addSequence, KEY, makeFile, runAction, valueAfter, type Spec } from '../helpers/one-rule.js';
import { completePlan } from '../../../src/config/build.js';

const T = (g: number, e: number): number => makeTag(g, e);
const redact = (partialDates = false, partialAges = false, referenceDate?: string): Action =>
  referenceDate === undefined
    ? { type: 'redact', partialDates, partialAges, partialZipCodes: false }
    : { type: 'redact', partialDates, partialAges, partialZipCodes: false, referenceDate };

/** One element of each kind a rule can meet. */
const SAMPLES: Spec[] = [
  [T(0x0010, 0x0010), 'PN', 'DOE^JANE'], [T(0x0008, 0x0080), 'LO', 'General Hospital'], [T(0x0008, 0x0020), 'DA', '20200102'],
  [T(0x0008, 0x0030), 'TM', '101010'], [T(0x0010, 0x1010), 'AS', '045Y'], [T(0x0010, 0x1030), 'DS', '72.5'],
  [T(0x0020, 0x0013), 'IS', '7'], [T(0x0028, 0x0010), 'US', [512]], [T(0x0018, 0x6039), 'SL', [-5]],
  [T(0x0010, 0x9431), 'FL', [1.5]], [T(0x0012, 0x0052), 'FD', [2.25]], [T(0x0020, 0x5000), 'AT', Uint8Array.of(0x10, 0, 0x10, 0)],
  [T(0x0009, 0x1001), 'OB', Uint8Array.of(1, 2, 3, 4)], [T(0x0008, 0x0054), 'AE', 'STATION'], [T(0x0020, 0x4000), 'LT', 'free text'],
];

/** The element's VR and value bytes as stored (not decoded), or undefined when it is absent. */
function stored(file: DicomFile, tag: number): { vr: string; bytes: string } | undefined {
  const el = file.dataset.get(tag);
  return el && { vr: el.vr, bytes: Buffer.from(el.bytes(file.datasetSource)).toString('hex') };
}

/** `first`, then rules that would all change the element (remove it, redact its VR), with unmatched elements removed. */
function planWith(first: Rule[], tag: number, vr: string): Plan {
  return completePlan({
    rules: [
      ...first,
      { selector: { kind: 'tag', tag }, action: { type: 'remove' }, origin: 'test: later remove' },
      { selector: { kind: 'vr', vr: vr as VR }, action: redact(), origin: 'test: later redact by VR' },
    ],
    profile: null,
    unmatched: 'remove',
    dateShift: { scope: 'patient', rangeDays: 50 },
  });
}

test('keep leaves the value byte-identical although later rules and the fallback would change it', () => {
  const other: Spec = [T(0x0018, 0x0015), 'CS', 'CHEST']; // a VR no rule here names: only the fallback decides it
  for (const spec of SAMPLES) {
    const [tag, vr] = spec;
    const input = makeFile([spec, other]);
    const before = stored(input, tag);
    assert.ok(before && before.bytes.length > 0, `${vr}: the input holds a value`);
    // Without the keep rule the element goes (so the check below is not vacuous) ...
    const without = anonymizeAndReread(new Anonymizer(planWith([], tag, vr), KEY), makeFile([spec, other]));
    assert.equal(stored(without, tag), undefined, `${vr}: the later rules remove it`);
    // ... with it first, the element is written exactly as it was read.
    const keep: Rule = { selector: { kind: 'tag', tag }, action: { type: 'keep' }, origin: 'test: keep' };
    const out = anonymizeAndReread(new Anonymizer(planWith([keep], tag, vr), KEY), input);
    assert.deepEqual(stored(out, tag), before, `${vr}: kept byte for byte`);
    assert.equal(stored(out, other[0]), undefined, 'an element no rule matches is removed (unmatched: remove)');
  }
});

test('remove deletes elements of every VR, sequences included', () => {
  for (const spec of SAMPLES) assert.equal(valueAfter({ type: 'remove' }, spec), undefined, spec[1]);
  const file = makeFile([]);
  addSequence(file, T(0x0008, 0x1140), [[T(0x0008, 0x1155), 'UI', '1.2.3.4']]);
  const flat = runAction({ type: 'remove' }, [T(0x0008, 0x1140)], file);
  assert.equal(flat.get('(0008,1140)'), undefined);
  assert.equal(flat.get('(0008,1140)[0].(0008,1155)'), undefined);
});

test('redact empties the value of every VR, keeping tag and VR; a sequence loses its items', () => {
  for (const spec of SAMPLES) {
    const out = valueAfter(redact(), spec);
    assert.ok(out, `${spec[1]} kept`);
    assert.equal(out.vr, spec[1]);
    assert.ok(out.value === '' || out.value === 'hex:', `${spec[1]} emptied: ${out.value}`);
  }
  const file = makeFile([]);
  addSequence(file, T(0x0008, 0x1140), [[T(0x0008, 0x1155), 'UI', '1.2.3.4']]);
  const flat = runAction(redact(), [T(0x0008, 0x1140)], file);
  assert.equal(flat.get('(0008,1140)')?.value, 'SQ[0]');
});

test('redact with partial dates: DA keeps its year; old and partial forms accepted', () => {
  const da = (v: string, ref = '20250601'): string | undefined => valueAfter(redact(true, false, ref), [T(0x0010, 0x0030), 'DA', v])?.value;
  assert.equal(da('19700615'), '19700101');
  assert.equal(da('1970.06.15'), '19700101');
  assert.equal(da('197006'), '19700101');
  assert.equal(da('1970'), '19700101');
  assert.equal(da('19700615\\19800101'), '19700101\\19800101');
  assert.equal(da('not a date'), '', 'unparsable: dropped');
});

test('redact with partial dates: DT keeps its year at midnight (24-hour clock) and its UTC offset', () => {
  const dt = (v: string): string | undefined => valueAfter(redact(true, false, '20250601'), [T(0x0008, 0x002a), 'DT', v])?.value;
  assert.equal(dt('20210320202020.00654'), '20210101000000.000000');
  assert.equal(dt('20210320202020+0130'), '20210101000000.000000+0130');
  assert.equal(dt('2021'), '20210101000000.000000');
  assert.equal(dt('202103201212-0500'), '20210101000000.000000-0500');
});

test('redact with partial dates: the 89-years rule compares with one reference date (MS-18)', () => {
  const da = (v: string, ref: string): string | undefined => valueAfter(redact(true, false, ref), [T(0x0010, 0x0030), 'DA', v])?.value;
  assert.equal(da('19360601', '20250601'), '19360101', '89 years exactly: kept');
  assert.equal(da('19360601', '20250602'), '', 'more than 89 years: dropped');
  assert.equal(da('1936', '20250102'), '', 'a year-only date counts from 1 January (errs on dropping)');
  assert.equal(da('19360601\\19900101', '20250602'), '19900101', 'only the old value is dropped');
  // Without referenceDate the run date is used: a date of last year is kept, one of 100 years ago dropped.
  const year = new Date().getUTCFullYear();
  assert.equal(valueAfter(redact(true), [T(0x0010, 0x0030), 'DA', `${year - 1}0101`])?.value, `${year - 1}0101`);
  assert.equal(valueAfter(redact(true), [T(0x0010, 0x0030), 'DA', `${year - 100}0101`])?.value, '');
});

test('redact with partial ages: ages of 89 years or less kept, older dropped', () => {
  const as = (v: string): string | undefined => valueAfter(redact(false, true), [T(0x0010, 0x1010), 'AS', v])?.value;
  assert.equal(as('045Y'), '045Y');
  assert.equal(as('089Y'), '089Y');
  assert.equal(as('090Y'), '');
  assert.equal(as('500M'), '500M');
  assert.equal(as('999W'), '999W');
  assert.equal(as('999D'), '999D');
  assert.equal(as('1Y'), '', 'malformed: dropped');
  assert.equal(valueAfter(redact(true, false), [T(0x0010, 0x1010), 'AS', '045Y'])?.value, '', 'partialAges off: emptied');
  assert.equal(valueAfter(redact(false, true), [T(0x0008, 0x0020), 'DA', '20200101'])?.value, '', 'partialDates off: emptied');
});
