// shiftDate and the date arithmetic behind it (dates.ts): precision kept, DT time and offset kept, TM only on
// request, offsets within range and per scope, AS capped; properties checked with fast-check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { makeTag } from '../../../src/dicom/tag.js';
import type { Action } from '../../../src/plan/plan.js';
import { ageInYears, capAge, parseAge, shiftDA, shiftDT, shiftTM } from '../../../src/anonymize/dates.js';
import { microsoftDayOffset } from '../../../src/anonymize/actions/shift-date.js';
import { addSequence, KEY, makeFile, OTHER_KEY, runAction, valueAfter, type Identity } from '../helpers/one-rule.js';
import type { Keys } from '../../../src/anonymize/keys.js';

const DA = makeTag(0x0008, 0x0020);
const DT = makeTag(0x0008, 0x002a);
const TM = makeTag(0x0008, 0x0030);
const AS = makeTag(0x0010, 0x1010);
const shift = (over: Partial<Extract<Action, { type: 'shiftDate' }>> = {}): Action => ({ type: 'shiftDate', scope: 'patient', rangeDays: 50, shiftTime: false, ...over });

const DAY = 86_400_000;
const toDate = (da: string): number => Date.UTC(Number(da.slice(0, 4)), Number(da.slice(4, 6)) - 1, Number(da.slice(6, 8)));
const daysBetween = (a: string, b: string): number => Math.round((toDate(b) - toDate(a)) / DAY);
/** The offset the engine applied to the patient of `id`, measured on a plain date. */
const offsetOf = (id: Identity, action: Action = shift(), keys: Keys = KEY): number =>
  daysBetween('20200615', valueAfter(action, [DA, 'DA', '20200615'], id, keys)?.value ?? '');

/** Full dates (YYYYMMDD) between 1900 and 2100. */
const fullDate = fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2100, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replace(/-/g, ''));

test('shiftDA: shifting by d then −d returns the original; intervals between two dates are preserved', () => {
  fc.assert(fc.property(fullDate, fc.integer({ min: -3650, max: 3650 }), (date, d) => {
    const there = shiftDA(date, d);
    assert.ok(there !== null && /^\d{8}$/.test(there));
    assert.equal(daysBetween(date, there), d);
    assert.equal(shiftDA(there, -d), date);
  }));
  fc.assert(fc.property(fullDate, fullDate, fc.integer({ min: -3650, max: 3650 }), (a, b, d) => {
    assert.equal(daysBetween(shiftDA(a, d)!, shiftDA(b, d)!), daysBetween(a, b));
  }));
});

test('shiftDT: date moved, time of day, fraction and UTC offset kept; round trip exact', () => {
  const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m, s]) => [h, m, s].map((n) => String(n).padStart(2, '0')).join(''));
  const frac = fc.option(fc.stringMatching(/^\.\d{1,6}$/), { nil: '' });
  const offset = fc.option(fc.stringMatching(/^[+-](0\d|1[0-4])[0-5]\d$/), { nil: '' });
  fc.assert(fc.property(fullDate, time, frac, offset, fc.integer({ min: -1000, max: 1000 }), (date, t, f, o, d) => {
    const value = date + t + f + o;
    const shifted = shiftDT(value, d);
    assert.ok(shifted !== null);
    assert.equal(shifted.slice(8), t + f + o, 'time, fraction, offset kept');
    assert.equal(daysBetween(date, shifted.slice(0, 8)), d);
    assert.equal(shiftDT(shifted, -d), value);
  }));
});

test('partial precision: YYYY and YYYYMM keep their precision, shifted from the middle of their period', () => {
  assert.equal(shiftDA('2021', -23), '2021');
  assert.equal(shiftDA('2021', 181), '2021');
  assert.equal(shiftDA('2021', 190), '2022');
  assert.equal(shiftDA('202103', -23), '202102');
  assert.equal(shiftDA('202103', 10), '202103');
  assert.equal(shiftDA('202103', 17), '202104');
  assert.equal(shiftDT('2021+0100', 10), '2021+0100');
  assert.equal(shiftDT('20210315', -15), '20210228');
  assert.equal(shiftDA('2021.03.15', 1), '20210316', 'ACR-NEMA form normalized');
  assert.equal(shiftDA('20210301-20210310', -1), '20210228-20210309', 'ranges');
  assert.equal(shiftDA('00500101', 1), '00500102', 'years below 100 are not taken as 19xx');
  assert.equal(shiftDA('99991231', 1), null, 'beyond year 9999: unrepresentable');
  for (const bad of ['20210230', '2021131', 'abcd', '202113']) assert.equal(shiftDA(bad, 1), null, bad);
});

test('shiftTM keeps precision and wraps midnight; capAge caps at 090Y', () => {
  assert.equal(shiftTM('235959.123', 2), '000001.123');
  assert.equal(shiftTM('1010', 3600), '1110');
  assert.equal(shiftTM('10', -3600 * 11), '23');
  assert.equal(shiftTM('10:10:10', 1), '101011');
  assert.equal(shiftTM('2500', 1), null);
  assert.equal(capAge('089Y'), '089Y');
  assert.equal(capAge('090Y'), '090Y');
  assert.equal(capAge('120Y'), '090Y');
  assert.equal(capAge('990M'), '990M');
  assert.equal(capAge('1100M'), null, 'four digits: not an AS');
  assert.equal(capAge('006M'), '006M');
  assert.equal(capAge('x'), null);
});

test('one age parser: completed years whatever the unit', () => {
  assert.deepEqual(parseAge(' 045Y '), { count: 45, unit: 'Y' });
  assert.equal(parseAge('45Y'), null);
  assert.equal(ageInYears({ count: 1079, unit: 'M' }), 89, '89 years 11 months is 89');
  assert.equal(ageInYears({ count: 1080, unit: 'M' }), 90);
  assert.equal(ageInYears({ count: 365, unit: 'D' }), 0, 'a day short of a calendar year on average');
  assert.equal(ageInYears({ count: 366, unit: 'D' }), 1);
  assert.equal(ageInYears({ count: 52, unit: 'W' }), 0);
  assert.equal(ageInYears({ count: 53, unit: 'W' }), 1);
});

test('engine: DA (all precisions) and DT shifted by the same offset; DT keeps time and offset', () => {
  const d = offsetOf({});
  assert.ok(d !== 0 && Math.abs(d) <= 50);
  const file = makeFile([[DA, 'DA', '20200615\\2020'], [DT, 'DT', '20200615101010.5+0200']]);
  const flat = runAction(shift(), [DA, DT], file);
  const [full, year] = flat.get('(0008,0020)')?.value.split('\\') ?? [];
  assert.equal(daysBetween('20200615', full), d);
  assert.equal(year, '2020');
  const dt = flat.get('(0008,002A)')?.value ?? '';
  assert.equal(daysBetween('20200615', dt.slice(0, 8)), d);
  assert.equal(dt.slice(8), '101010.5+0200');
});

test('engine: TM only moves with shiftTime; then by a keyed whole number of seconds', () => {
  assert.equal(valueAfter(shift(), [TM, 'TM', '101010'])?.value, '101010');
  const moved = valueAfter(shift({ shiftTime: true }), [TM, 'TM', '101010'])?.value;
  assert.match(moved ?? '', /^\d{6}$/);
  assert.equal(valueAfter(shift({ shiftTime: true }), [TM, 'TM', '101010'])?.value, moved, 'deterministic');
});

test('engine: offsets stay within ±rangeDays, never 0, one per patient in every file', () => {
  const seen = new Set<number>();
  for (let i = 0; i < 60; i++) {
    const d = offsetOf({ patientId: `P${i}` }, shift({ rangeDays: 3 }));
    assert.ok(d !== 0 && Math.abs(d) <= 3, String(d));
    seen.add(d);
  }
  assert.equal(seen.size, 6, 'every offset of the range occurs');
  // Two files of one patient (different studies and instances): the same offset.
  const a = offsetOf({ patientId: 'SAME', studyUid: '1.2.3.1', sopInstanceUid: '1.2.3.1.1' });
  const b = offsetOf({ patientId: 'SAME', studyUid: '1.2.3.2', sopInstanceUid: '1.2.3.2.1' });
  assert.equal(a, b);
  // Study scope: two studies of one patient (usually) differ; same study → same offset.
  const s1 = offsetOf({ studyUid: '1.2.3.1' }, shift({ scope: 'study' }));
  assert.equal(offsetOf({ studyUid: '1.2.3.1', sopInstanceUid: '9.9' }, shift({ scope: 'study' })), s1);
  // A rule key replaces the run key: with it, two run keys give the same offsets; without it, they do not.
  const patients = Array.from({ length: 8 }, (_, i) => ({ patientId: `K${i}` }));
  const withRuleKey = (keys: Keys): number[] => patients.map((id) => offsetOf(id, shift({ key: 'k1' }), keys));
  const withRunKey = (keys: Keys): number[] => patients.map((id) => offsetOf(id, shift(), keys));
  assert.deepEqual(withRuleKey(KEY), withRuleKey(OTHER_KEY));
  assert.notDeepEqual(withRunKey(KEY), withRunKey(OTHER_KEY));
});

test('engine: offsetFormula microsoft reproduces their offsets (spec §5.6) from the original series UID', () => {
  const series = '1.3.6.1.4.1.5962.99.1.5128099.2103784727.1533308485539.5.0';
  const action = shift({ scope: 'series', key: '123', offsetFormula: 'microsoft' });
  assert.equal(offsetOf({ seriesUid: series }, action), -23);
  // The spec's test vectors (ms-dicom-spec §5.6), not a second call of microsoftDayOffset.
  assert.equal(offsetOf({ seriesUid: '789' }, action), 30);
  assert.equal(offsetOf({ seriesUid: '456' }, action), -27);
  assert.equal(offsetOf({ seriesUid: '123' }, action), 17);
  assert.equal(microsoftDayOffset(series, '123', 100), 29);
  assert.equal(microsoftDayOffset('', '123', 50), 50);
  assert.equal(microsoftDayOffset('', '', 50), -50);
  assert.equal(microsoftDayOffset('filename', '123', 50), 4);
  fc.assert(fc.property(fc.string(), fc.string(), fc.integer({ min: 0, max: 1000 }), (p, k, r) => {
    const d = microsoftDayOffset(p, k, r);
    assert.ok(Number.isInteger(d) && d >= -r && d <= r);
  }));
});

test('engine: AS selected by a date shift is capped at 090Y; unparsable dates are removed, not leaked', () => {
  assert.equal(valueAfter(shift(), [AS, 'AS', '095Y'])?.value, '090Y');
  assert.equal(valueAfter(shift(), [AS, 'AS', '045Y'])?.value, '045Y');
  assert.equal(valueAfter(shift(), [DA, 'DA', 'unknown'])?.value, undefined);
  assert.equal(valueAfter(shift(), [DA, 'DA', ''])?.value, '');
});

test('engine: dates in nested items get the offset of the instance\'s patient', () => {
  const d = offsetOf({});
  const file = makeFile([[DA, 'DA', '20200615']]);
  addSequence(file, makeTag(0x0008, 0x1250), [[DA, 'DA', '20200615']]);
  const flat = runAction(shift(), [DA], file);
  assert.equal(daysBetween('20200615', flat.get('(0008,1250)[0].(0008,0020)')?.value ?? ''), d);
  assert.equal(flat.get('(0008,0020)')?.value, flat.get('(0008,1250)[0].(0008,0020)')?.value);
});
