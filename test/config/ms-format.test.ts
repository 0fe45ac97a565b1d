import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { parseConfig, parseConfigBase } from '../../src/config/load.js';
import type { Action } from '../../src/plan/plan.js';
import { throwsAt } from './helpers.js';
import { MS_CONFIGS_DIR } from '../helpers/fixtures.js';

const SETTINGS = parse(
  readFileSync(join(MS_CONFIGS_DIR, 'DICOM/src/Microsoft.Health.Dicom.Anonymizer.Core.UnitTests/Rules/settings.json'), 'utf8'),
) as Record<string, unknown>;

/** A Microsoft config with settings.json's defaultSettings/customSettings and these rules. */
const withSettings = (rules: unknown[]): string => JSON.stringify({ rules, ...SETTINGS });
const actions = (text: string): Action[] => parseConfig(text).rules.map((r) => r.action);


test('default settings of settings.json (string numbers accepted)', () => {
  const got = actions(
    withSettings([
      { tag: 'PatientAge', method: 'perturb' },
      { tag: 'StudyDate', method: 'dateShift' },
      { tag: 'PatientID', method: 'cryptoHash' },
      { tag: 'PatientBirthDate', method: 'redact' },
      { tag: 'PatientName', method: 'encrypt' },
      { tag: 'InstitutionName', method: 'substitute' },
      { tag: 'StudyInstanceUID', method: 'refreshUID' },
      { tag: 'PatientSex', method: 'keep' },
      { tag: 'PatientWeight', method: 'remove' },
    ]),
  );
  assert.deepEqual(got, [
    { type: 'perturb', span: 1, roundTo: 2, rangeType: 'proportional' },
    { type: 'shiftDate', key: '123', scope: 'series', rangeDays: 50, shiftTime: false, offsetFormula: 'microsoft' },
    { type: 'hash', key: '123' },
    { type: 'redact', partialDates: false, partialAges: false, partialZipCodes: false },
    { type: 'encrypt', key: '123456781234567812345678' },
    { type: 'replace', value: 'ANONYMOUS' },
    { type: 'remapUid' },
    { type: 'keep' },
    { type: 'remove' },
  ]);
});

test('custom settings by name', () => {
  const got = actions(
    withSettings([
      { tag: 'PatientAge', method: 'perturb', setting: 'perturbCustomerSetting' },
      { tag: 'PatientAge', method: 'redact', setting: 'redactCustomerSetting' },
      { tag: 'StudyDate', method: 'dateshift', setting: 'dateShiftCustomerSetting' },
      { tag: 'PatientID', method: 'cryptohash', setting: 'cryptoHashCustomerSetting' },
      { tag: 'InstitutionName', method: 'substitute', setting: 'substituteCustomerSetting' },
      { tag: 'PatientName', method: 'encrypt', setting: 'encryptCustomerSetting' },
    ]),
  );
  assert.deepEqual(got, [
    { type: 'perturb', span: 1, roundTo: 2, rangeType: 'fixed' },
    { type: 'redact', partialDates: false, partialAges: true, partialZipCodes: false },
    { type: 'shiftDate', key: '123', scope: 'instance', rangeDays: 100, shiftTime: false, offsetFormula: 'microsoft' },
    { type: 'hash', key: '456' },
    { type: 'replace', value: 'customized' },
    { type: 'encrypt', key: '0000000000000000' },
  ]);
  throwsAt(withSettings([{ tag: 'PatientID', method: 'cryptoHash', setting: 'CryptoHashCustomerSetting' }]), '$.rules[0].setting', /not defined/);
});

test('params over settings, case-insensitive keys, method names in any case', () => {
  const got = actions(
    withSettings([
      { tag: 'InstitutionName', method: 'SUBSTITUTE', params: { ReplaceWith: 'X' } },
      { tag: 'PatientAge', method: 'Perturb', setting: 'perturbCustomerSetting', params: { SPAN: '3.5', rangetype: 'proportional' } },
      { tag: 'StudyDate', method: 'DateShift', params: { dateshiftscope: 'studyinstance', DATESHIFTRANGE: 7 } },
      { tag: 'StudyInstanceUID', method: 'refreshuid' },
    ]),
  );
  assert.deepEqual(got, [
    { type: 'replace', value: 'X' },
    { type: 'perturb', span: 3.5, roundTo: 2, rangeType: 'proportional' },
    { type: 'shiftDate', key: '123', scope: 'study', rangeDays: 7, shiftTime: false, offsetFormula: 'microsoft' },
    { type: 'remapUid' },
  ]);
});

test('MS-8 fixed: params never leak into later rules (default and custom settings)', () => {
  const got = actions(
    withSettings([
      { tag: 'InstitutionName', method: 'substitute', params: { replaceWith: 'ANONY' } },
      { tag: 'StationName', method: 'substitute' },
      { tag: 'PatientAge', method: 'perturb', setting: 'perturbCustomerSetting', params: { span: 9 } },
      { tag: 'PatientSize', method: 'perturb', setting: 'perturbCustomerSetting' },
      { tag: 'StudyDate', method: 'dateShift', params: { dateShiftKey: 'other' } },
      { tag: 'SeriesDate', method: 'dateShift' },
    ]),
  );
  assert.deepEqual(got[1], { type: 'replace', value: 'ANONYMOUS' });
  assert.equal((got[2] as { span: number }).span, 9);
  assert.equal((got[3] as { span: number }).span, 1);
  assert.equal((got[4] as { key: string }).key, 'other');
  assert.equal((got[5] as { key: string }).key, '123');
});

test('without defaultSettings: documented defaults, no key (the run key is used)', () => {
  assert.deepEqual(
    actions(JSON.stringify({ rules: [
      { tag: 'InstitutionName', method: 'substitute' },
      { tag: 'StudyDate', method: 'dateshift' },
      { tag: 'PatientID', method: 'cryptoHash' },
      { tag: 'PatientName', method: 'encrypt' },
      { tag: 'PatientAge', method: 'perturb' },
      { tag: 'PatientAge', method: 'redact' },
    ] })),
    [
      { type: 'replace', value: 'ANONYMOUS' },
      { type: 'shiftDate', scope: 'instance', rangeDays: 50, shiftTime: false },
      { type: 'hash' },
      { type: 'encrypt' },
      { type: 'perturb', span: 1, roundTo: 2, rangeType: 'proportional' },
      { type: 'redact', partialDates: false, partialAges: false, partialZipCodes: false },
    ],
  );
  // dateShiftScope absent → SopInstance (Microsoft's code default), also for plan.dateShift.
  const plan = parseConfig(JSON.stringify({ rules: [], defaultSettings: { dateShift: { dateShiftKey: 'k', dateShiftRange: 10 } } }));
  assert.deepEqual(plan.dateShift, { scope: 'instance', rangeDays: 10 });
});

test('setting validation at load, at the path where the value is written', () => {
  const rule = [{ tag: 'PatientAge', method: 'perturb' }];
  const cfg = (defaultSettings: unknown, rules: unknown[] = rule) => JSON.stringify({ rules, defaultSettings });
  throwsAt(cfg({ perturb: { span: -1 } }), '$.defaultSettings.perturb.span', /≥ 0/);
  throwsAt(cfg({ perturb: { roundTo: 29 } }), '$.defaultSettings.perturb.roundTo', /\[0, 28\]/);
  throwsAt(cfg({ perturb: { roundTo: 1.5 } }), '$.defaultSettings.perturb.roundTo');
  throwsAt(cfg({ perturb: { span: 'lots' } }), '$.defaultSettings.perturb.span', /number/);
  throwsAt(cfg({ perturb: { rangeType: 'Gaussian' } }), '$.defaultSettings.perturb.rangeType', /Fixed, Proportional/);
  throwsAt(cfg({}, [{ tag: 'PatientAge', method: 'perturb', params: { span: -2 } }]), '$.rules[0].params.span');
  throwsAt(cfg({ encrypt: { encryptKey: 'short' } }), '$.defaultSettings.encrypt.encryptKey', /16, 24 or 32 bytes/);
  throwsAt(cfg({}, [{ tag: 'PatientName', method: 'encrypt', params: { encryptKey: 'x'.repeat(33) } }]), '$.rules[0].params.encryptKey', /encrypt key size/);
  throwsAt(cfg({ dateShift: { dateShiftScope: 'Patient' } }), '$.defaultSettings.dateShift.dateShiftScope');
  throwsAt(cfg({ dateShift: { dateShiftRange: -5 } }), '$.defaultSettings.dateShift.dateShiftRange');
  throwsAt(cfg({ cryptoHash: { cryptoHashType: 'Sha512' } }), '$.defaultSettings.cryptoHash.cryptoHashType', /only Sha256/);
  throwsAt(cfg({ cryptoHash: { matchInputStringLength: true } }), '$.defaultSettings.cryptoHash.matchInputStringLength');
  throwsAt(cfg({ redact: { enablePartialDatesForRedact: 'maybe' } }), '$.defaultSettings.redact.enablePartialDatesForRedact');
  throwsAt(cfg({ substitute: { replaceWith: 'a', ReplaceWith: 'b' } }), '$.defaultSettings.substitute.ReplaceWith', /case-insensitive/);
  throwsAt(cfg({ Perturb: {}, perturb: {} }), '$.defaultSettings.perturb', /duplicates/);
  throwsAt(cfg({ perturb: 3 }), '$.defaultSettings.perturb', /object/);
  throwsAt(cfg([{ perturb: {} }]), '$.defaultSettings', /MS-6/);
  throwsAt(JSON.stringify({ rules: rule, customSettings: { mine: { spam: 1 } } }), '$.customSettings.mine.spam', /unknown setting/);
  // A setting of another method in the chosen custom setting.
  throwsAt(withSettings([{ tag: 'PatientAge', method: 'redact', setting: 'perturbCustomerSetting' }]), '$.customSettings.perturbCustomerSetting.span', /not a setting of redact/);
  // Accepted conversions.
  assert.deepEqual(
    actions(cfg({ cryptoHash: { cryptoHashType: 'SHA256', matchInputStringLength: 'false', cryptoHashKey: 42 }, dateShift: { dateShiftRange: ' 12 ', dateShiftKey: null } }, [
      { tag: 'PatientID', method: 'cryptoHash' },
      { tag: 'StudyDate', method: 'dateShift' },
    ])),
    [{ type: 'hash', key: '42' }, { type: 'shiftDate', scope: 'instance', rangeDays: 12, shiftTime: false }],
  );
});

test('rule structure errors', () => {
  const cfg = (rules: unknown[]) => JSON.stringify({ rules, defaultSettings: {} });
  throwsAt(cfg([{ tag: 'PatientID' }]), '$.rules[0].method', /missing required key "method"/);
  throwsAt(cfg([{ tag: 'PatientID', method: 'remove' }, { method: 'remove' }]), '$.rules[1].tag', /missing/);
  throwsAt(cfg([{ tag: 7, method: 'remove' }]), '$.rules[0].tag', /string/);
  throwsAt(cfg(['PatientID']), '$.rules[0]', /object/);
  throwsAt(cfg([{ tag: 'PatientID', method: 'remove', params: {} }]), '$.rules[0].params', /takes no settings/);
  throwsAt(cfg([{ tag: 'PatientID', method: 'keep', setting: 'x' }]), '$.rules[0].setting', /takes no settings/);
  throwsAt(cfg([{ tag: 'PatientID', method: 'mask' }]), '$.rules[0].method', /unsupported method "mask"/);
  throwsAt(JSON.stringify({ rules: {}, defaultSettings: {} }), '$.rules', /array/);
});

test('methods the selected VR cannot take fail at load (Microsoft fails at run time)', () => {
  const cfg = (tag: string, method: string) => JSON.stringify({ rules: [{ tag, method }], defaultSettings: {} });
  const bad: [string, string][] = [
    ['PatientName', 'dateShift'], ['CS', 'dateshift'], ['PatientName', 'refreshUID'], ['DA', 'refreshUID'], ['PatientName', 'perturb'],
    ['ReferencedStudySequence', 'cryptoHash'], ['SQ', 'encrypt'], ['US', 'encrypt'], ['Rows', 'cryptoHash'], ['FD', 'cryptoHash'],
  ];
  for (const [tag, method] of bad) throwsAt(cfg(tag, method), '$.rules[0].method', /cannot be applied/);
  const good: [string, string][] = [
    ['StudyDate', 'dateShift'], ['AcquisitionDateTime', 'dateShift'], ['StudyTime', 'dateShift'], ['TM', 'dateshift'],
    ['SOPInstanceUID', 'refreshUID'], ['PatientAge', 'perturb'], ['InstanceNumber', 'perturb'], ['DS', 'perturb'],
    ['EncapsulatedDocument', 'cryptoHash'], ['UN', 'encrypt'], ['PatientName', 'cryptoHash'],
    ['ReferencedStudySequence', 'substitute'], ['SQ', 'redact'], ['(50xx,xxxx)', 'dateShift'], ['(0029,1010)', 'perturb'],
  ];
  for (const [tag, method] of good) assert.doesNotThrow(() => parseConfig(cfg(tag, method)), `${tag} ${method}`);
});

test('warnings: dead keys and published keys (never echoing the key)', () => {
  const { warnings } = parseConfigBase(withSettings([{ tag: 'PatientID', method: 'cryptoHash' }]));
  const w = warnings.find((x) => x.jsonPath === '$.defaultSettings.cryptoHash.cryptoHashKey');
  assert.ok(w);
  assert.ok(!w.message.includes('"123"'));
  const dead = parseConfigBase(JSON.stringify({ profile: ['X'], rules: [], defaultSettings: { perturb: { distribution: 'Uniform' } } }));
  assert.deepEqual(dead.warnings.map((x) => x.jsonPath).sort(), ['$.defaultSettings.perturb.distribution', '$.profile']);
  throwsAt(JSON.stringify({ profile: [1], rules: [] }), '$.profile[0]');
});
